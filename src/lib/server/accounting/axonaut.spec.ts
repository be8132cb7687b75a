import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { axonautAdapter } from './axonaut';
import { startFakeAxonaut, type FakeAxonaut } from './fake-axonaut';
import { creditNote, invoice } from './fixtures';

let fake: FakeAxonaut;
let delays: number[];

beforeEach(async () => {
	fake = await startFakeAxonaut();
	delays = [];
});
afterEach(() => fake.close());

function adapter(overrides: { apiKey?: string } = {}) {
	return axonautAdapter({
		baseUrl: fake.url,
		apiKey: overrides.apiKey ?? fake.apiKey,
		sleep: async (ms) => void delays.push(ms),
		random: () => 0.5
	});
}

const requests = () => fake.received.map((r) => `${r.method} ${r.path}`);
const posts = (path: string) => fake.received.filter((r) => r.method === 'POST' && r.path === path);

describe('exporting an invoice to Axonaut', () => {
	it('creates the company, then the invoice with its lines, and sends exactly that', async () => {
		const result = await adapter().exportInvoice(invoice);

		expect(result).toEqual({ customerRemoteId: '1001', invoiceRemoteId: '5001', created: true });
		expect(requests()).toEqual([
			'GET /api/v2/companies',
			'GET /api/v2/companies',
			'POST /api/v2/companies',
			'GET /api/v2/companies/1001/invoices',
			'POST /api/v2/invoices'
		]);
		for (const request of fake.received) {
			expect(request.headers.userapikey).toBe(fake.apiKey);
			expect(request.headers.accept).toBe('application/json');
		}
		const [byInternalId, byName, company, lookup, created] = fake.received;
		expect(byInternalId.query).toEqual({ internal_id: invoice.customer.id });
		expect(byName.query).toEqual({ search: 'Garage du Rhône' });
		expect(company.headers['content-type']).toBe('application/json');
		expect(company.body).toEqual({ name: 'Garage du Rhône', is_customer: true, is_prospect: false, internal_id: invoice.customer.id });
		expect(lookup.query).toEqual({ date_after: '13/03/2025', date_before: '15/03/2025' });
		expect(lookup.headers.page).toBe('1');

		const chapter = 'Relais LYO · facture F-LYO-2025-0042';
		expect(created.body).toEqual({
			company_id: 1001,
			date: '2025-03-14T12:00:00+00:00',
			due_date: '2025-04-13T12:00:00+00:00',
			products: [
				{ name: 'Convoyage Lyon → Paris', price: 450, tax_rate: 20, quantity: 2, discount_flat: 50, chapter },
				{ name: 'Lavage intérieur', price: 39.5, tax_rate: 20, quantity: 1, chapter },
				{ name: 'Frais de dossier', price: 10, tax_rate: 5.5, quantity: 1, chapter }
			]
		});
		// Axonaut's own arithmetic on what we sent gives back our totals.
		expect(fake.invoices).toHaveLength(1);
		expect(fake.invoices[0]).toMatchObject({ company_id: 1001, pre_tax_amount: 899.5, tax_amount: 178.45, total: 1077.95 });
	});

	it('creates nothing the second time: same ids, created=false', async () => {
		const first = await adapter().exportInvoice(invoice);
		const sent = fake.received.length;

		const again = await adapter().exportInvoice(invoice);
		expect(again).toEqual({ ...first, created: false });
		expect(fake.received.slice(sent).map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /api/v2/companies',
			'GET /api/v2/companies/1001/invoices'
		]);

		const withRemoteId = await adapter().exportInvoice({ ...invoice, customer: { ...invoice.customer, remoteId: first.customerRemoteId } });
		expect(withRemoteId).toEqual({ ...first, created: false });
		expect(fake.companies).toHaveLength(1);
		expect(fake.invoices).toHaveLength(1);
	});

	it('reuses the customer remote id it is given, without creating a company', async () => {
		const known = fake.seedCompany({ name: 'Garage du Rhône (Vénissieux)' });

		const result = await adapter().exportInvoice({ ...invoice, customer: { ...invoice.customer, remoteId: String(known.id) } });

		expect(result.customerRemoteId).toBe(String(known.id));
		expect(requests()).toEqual([`GET /api/v2/companies/${known.id}`, `GET /api/v2/companies/${known.id}/invoices`, 'POST /api/v2/invoices']);
		expect(posts('/api/v2/invoices')[0].body).toMatchObject({ company_id: known.id });
		expect(fake.companies).toHaveLength(1);
	});

	it('finds an existing company by its name rather than creating a twin', async () => {
		const known = fake.seedCompany({ name: 'GARAGE DU RHÔNE' });
		const result = await adapter().exportInvoice(invoice);
		expect(result.customerRemoteId).toBe(String(known.id));
		expect(posts('/api/v2/companies')).toHaveLength(0);
	});

	it('retries a 500 and ends with exactly one invoice', async () => {
		fake.failNext(1, 500, { method: 'POST', path: '/api/v2/invoices' });

		const result = await adapter().exportInvoice(invoice);

		expect(result.created).toBe(true);
		expect(posts('/api/v2/invoices')).toHaveLength(2);
		expect(fake.invoices).toHaveLength(1);
		expect(delays).toEqual([375]); // 500 ms ceiling, half fixed, half jitter (random = 0.5)
	});

	it('waits what Retry-After says on a 429', async () => {
		fake.failNext(2, 429, { retryAfterSeconds: 7 });

		await adapter().exportInvoice(invoice);

		expect(delays).toEqual([7000, 7000]);
		expect(fake.invoices).toHaveLength(1);
	});

	it('fails at once when Retry-After asks for more than a minute, for the job queue to retry later', async () => {
		fake.failNext(1, 429, { retryAfterSeconds: 3600 });

		await expect(adapter().exportInvoice(invoice)).rejects.toThrow(/HTTP 429.*Retry-After 3600000 ms is too long to wait/s);
		expect(delays).toEqual([]);
	});

	it('retries a dropped connection', async () => {
		fake.failNext(1, 'drop', { method: 'POST', path: '/api/v2/invoices' });

		const result = await adapter().exportInvoice(invoice);

		expect(result.created).toBe(true);
		expect(fake.invoices).toHaveLength(1);
		expect(delays).toHaveLength(1);
	});

	it('does not duplicate an invoice whose creation landed but whose answer was lost', async () => {
		fake.failNext(1, 'drop-after', { method: 'POST', path: '/api/v2/invoices' });

		const result = await adapter().exportInvoice(invoice);

		expect(fake.invoices).toHaveLength(1);
		expect(posts('/api/v2/invoices')).toHaveLength(1);
		expect(result).toEqual({ customerRemoteId: '1001', invoiceRemoteId: '5001', created: false });
	});

	it('backs off exponentially and gives up after maxAttempts', async () => {
		fake.failNext(10, 500);

		await expect(adapter().exportInvoice(invoice)).rejects.toThrow(/HTTP 500.*gave up after 5 attempts/s);
		expect(fake.received).toHaveLength(5);
		expect(delays).toEqual([375, 750, 1500, 3000]);
	});

	it('does not retry a 400, and says why Axonaut refused', async () => {
		const odd = { ...invoice, lines: [{ ...invoice.lines[1], vatRateBp: 700 }] };

		const failure = adapter().exportInvoice(odd);

		await expect(failure).rejects.toThrow('Axonaut POST /api/v2/invoices answered HTTP 400');
		await expect(failure).rejects.toThrow('Tax rate 7 does not exist in this account');
		expect(posts('/api/v2/invoices')).toHaveLength(1);
		expect(delays).toEqual([]);
	});

	it('fails clearly on a wrong API key, without retrying', async () => {
		const failure = adapter({ apiKey: 'not-the-key' }).exportInvoice(invoice);

		await expect(failure).rejects.toThrow(/HTTP 401 \(check the Axonaut API key and its rights\): .*Invalid userApiKey/);
		expect(fake.received).toHaveLength(1);
		expect(fake.received[0].headers.userapikey).toBe('not-the-key');
	});

	it('exports a credit note as an invoice with negative quantities', async () => {
		await adapter().exportInvoice(invoice);

		const result = await adapter().exportInvoice(creditNote);

		expect(result).toEqual({ customerRemoteId: '1001', invoiceRemoteId: '5002', created: true });
		expect(posts('/api/v2/invoices')[1].body).toEqual({
			company_id: 1001,
			date: '2025-03-20T12:00:00+00:00',
			products: [
				{
					name: 'Lavage intérieur non réalisé',
					price: 39.5,
					tax_rate: 20,
					quantity: -1,
					chapter: 'Relais LYO · avoir A-LYO-2025-0003 sur facture F-LYO-2025-0042'
				}
			]
		});
		expect(fake.invoices[1]).toMatchObject({ pre_tax_amount: -39.5, tax_amount: -7.9, total: -47.4 });

		const again = await adapter().exportInvoice(creditNote);
		expect(again).toEqual({ ...result, created: false });
		expect(fake.invoices).toHaveLength(2);
	});
});
