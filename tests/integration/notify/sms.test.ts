import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError } from '../../../src/lib/server/notify/jobs';
import { httpSmsProvider } from '../../../src/lib/server/notify/sms';
import { startSmsGateway } from './sms-gateway';

describe('HTTP SMS adapter (against a local stand-in for the provider)', () => {
	it('posts the number in E.164, the sender and the text, with the key as a bearer token', async () => {
		const gateway = await startSmsGateway();
		try {
			const sms = httpSmsProvider({ url: gateway.url, key: 'secret-key', sender: 'Relais' });
			expect(await sms.send({ to: '06 12 34 56 78', text: 'Transfert livré' })).toEqual({ id: 'sms-1' });
			expect(gateway.requests).toEqual([
				{ authorization: 'Bearer secret-key', body: { from: 'Relais', to: '+33612345678', text: 'Transfert livré' } }
			]);
		} finally {
			await gateway.close();
		}
	});

	it('tells a refusal to retry (5xx, 429) from a permanent one (other 4xx)', async () => {
		const gateway = await startSmsGateway([503, 429, 400]);
		try {
			const sms = httpSmsProvider({ url: gateway.url, sender: 'Relais' });
			const outcome = async () => sms.send({ to: '+33612345678', text: 'x' }).then(() => null, (err: Error) => err);
			for (const status of [503, 429]) {
				const err = await outcome();
				expect(err, String(status)).toBeInstanceOf(Error);
				expect(err, String(status)).not.toBeInstanceOf(PermanentDeliveryError);
				expect(err?.message).toContain(String(status));
			}
			expect(await outcome()).toBeInstanceOf(PermanentDeliveryError);
			expect(gateway.requests).toHaveLength(3);
			expect(gateway.requests[0].authorization).toBeUndefined();
		} finally {
			await gateway.close();
		}
	});

	it('never calls the provider for a number that cannot be one', async () => {
		const gateway = await startSmsGateway();
		try {
			const sms = httpSmsProvider({ url: gateway.url, sender: 'Relais' });
			await expect(sms.send({ to: '12', text: 'x' })).rejects.toBeInstanceOf(PermanentDeliveryError);
			expect(gateway.requests).toHaveLength(0);
		} finally {
			await gateway.close();
		}
	});
});
