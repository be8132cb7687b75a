import { describe, expect, it } from 'vitest';
import { asTransferError, TransferError } from './errors';

/** What node-postgres hands over for a refusal raised by migration 20261203000400. */
const pgError = (fields: { code: string; hint?: string; detail?: string; constraint?: string }) =>
	Object.assign(new Error('database refusal'), fields);

describe('asTransferError', () => {
	it('names the missing documents on the driver field, in the reader’s language', () => {
		const err = pgError({ code: '23514', hint: 'driver_not_compliant', detail: 'licence,insurance' });
		expect(asTransferError(err, 'en')).toMatchObject({
			status: 409,
			errors: { driverId: ['This driver cannot be assigned: missing or expired document (driving licence, insurance).'] }
		});
		expect((asTransferError(err, 'fr') as TransferError).errors.driverId).toEqual([
			'Ce chauffeur ne peut pas être affecté : document manquant ou expiré (permis de conduire, assurance).'
		]);
	});

	it('puts the one-open-transfer constraint on the vehicle field', () => {
		const err = pgError({ code: '23505', constraint: 'transfers_one_open_per_vehicle' });
		expect(asTransferError(err, 'en')).toMatchObject({ status: 409, errors: { vehicleId: ['This vehicle is already in an open transfer.'] } });
	});

	it('tells steps out of order from steps taken by the wrong person', () => {
		expect(asTransferError(pgError({ code: '55000', hint: 'transfer_illegal_step' }), 'en')).toMatchObject({ status: 409 });
		expect(asTransferError(pgError({ code: '42501', hint: 'transfer_not_driver' }), 'en')).toMatchObject({ status: 403 });
		expect(asTransferError(pgError({ code: '42501' }), 'fr')).toMatchObject({ status: 403, code: 'forbidden' });
	});

	it('leaves unexpected errors alone', () => {
		const err = pgError({ code: '08006' });
		expect(asTransferError(err, 'en')).toBe(err);
	});
});
