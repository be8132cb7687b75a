/**
 * A stand-in for the real Axonaut SaaS, used by tests only: a local HTTP server (node:http, port
 * 0) implementing the few Axonaut API v2 endpoints the adapter in `axonaut.ts` calls, following
 * the public OpenAPI description at https://axonaut.com/api/v2/doc (see the sources listed in
 * axonaut.ts). It checks the `userApiKey` header, validates bodies for the fields the real API
 * requires, assigns numeric ids and its own invoice numbers, and keeps everything it received
 * for assertions. Tests can make the next requests fail with a 500, a 429 or a dropped
 * connection, before or after the request took effect.
 *
 * What is invented, because Axonaut does not document it: the JSON shape of error bodies, the
 * page size (100), the invoice number format, and the list of accepted tax rates (the French
 * ones, as an account starts with).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	body: unknown;
}

export interface FakeCompany {
	id: number;
	name: string;
	internal_id: string | null;
	is_customer: boolean;
	is_prospect: boolean;
}

export interface FakeInvoiceLine {
	product_id: number;
	product_name: string;
	name: string;
	price: number;
	quantity: number;
	details: string;
	chapter: string;
	total_pre_tax_amount: number;
	total_tax_amount: number;
	total_amount: number;
	taxes: { rate: number; name: string; accounting_code: string }[];
	discounts: { amount: number }[];
}

export interface FakeInvoice {
	id: number;
	number: string;
	company_id: number;
	/** ISO 8601, as posted. */
	date: string;
	due_date: string | null;
	pre_tax_amount: number;
	tax_amount: number;
	total: number;
	invoice_lines: FakeInvoiceLine[];
}

/** `drop` closes the connection before the request takes effect; `drop-after`, after it did. */
export type FailureMode = 500 | 429 | 'drop' | 'drop-after';

export interface FakeAxonaut {
	url: string;
	apiKey: string;
	received: ReceivedRequest[];
	companies: FakeCompany[];
	invoices: FakeInvoice[];
	/** Fails the next `n` requests (those matching `only`, when given). */
	failNext(n: number, mode: FailureMode, only?: { method?: string; path?: string; retryAfterSeconds?: number }): void;
	seedCompany(company: { name: string; internal_id?: string | null }): FakeCompany;
	close(): Promise<void>;
}

const PAGE_SIZE = 100;
const TAX_RATES = [0, 2.1, 5.5, 8.5, 10, 20];
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

export async function startFakeAxonaut(options: { apiKey?: string } = {}): Promise<FakeAxonaut> {
	const apiKey = options.apiKey ?? 'test-user-api-key';
	const received: ReceivedRequest[] = [];
	const companies: FakeCompany[] = [];
	const invoices: FakeInvoice[] = [];
	const failures: { left: number; mode: FailureMode; method?: string; path?: string; retryAfterSeconds: number }[] = [];
	let nextCompanyId = 1001;
	let nextInvoiceId = 5001;
	let nextProductId = 9001;

	function addCompany(fields: { name: string; internal_id?: string | null; is_customer?: boolean; is_prospect?: boolean }): FakeCompany {
		const created = {
			id: nextCompanyId++,
			name: fields.name,
			internal_id: fields.internal_id ?? null,
			is_customer: fields.is_customer ?? false,
			is_prospect: fields.is_prospect ?? true
		};
		companies.push(created);
		return created;
	}

	function route(method: string, path: string, query: Record<string, string>, headers: IncomingHttpHeaders, body: unknown): unknown {
		if (path === '/api/v2/companies' && method === 'GET') {
			const search = query.search?.toLowerCase();
			const found = companies.filter(
				(c) => (!search || c.name.toLowerCase().includes(search)) && (!query.internal_id || c.internal_id === query.internal_id)
			);
			return paginate(found, headers).map(companyView);
		}
		if (path === '/api/v2/companies' && method === 'POST') return companyView(createCompany(body));
		const companyPath = /^\/api\/v2\/companies\/([^/]+)(\/invoices)?$/.exec(path);
		if (companyPath && method === 'GET') {
			const found = companies.find((c) => String(c.id) === companyPath[1]);
			if (!found) throw new HttpError(404, `Company ${companyPath[1]} not found`);
			if (!companyPath[2]) return companyView(found);
			return paginate(filterInvoices(invoices.filter((i) => i.company_id === found.id), query), headers).map(invoiceView);
		}
		if (path === '/api/v2/invoices' && method === 'GET') return paginate(filterInvoices(invoices, query), headers).map(invoiceView);
		if (path === '/api/v2/invoices' && method === 'POST') return invoiceView(createInvoice(body));
		const invoicePath = /^\/api\/v2\/invoices\/([^/]+)$/.exec(path);
		if (invoicePath && method === 'GET') {
			const found = invoices.find((i) => String(i.id) === invoicePath[1]);
			if (!found) throw new HttpError(404, `Invoice ${invoicePath[1]} not found`);
			return invoiceView(found);
		}
		throw new HttpError(404, `No route for ${method} ${path}`);
	}

	function createCompany(body: unknown): FakeCompany {
		const fields = object(body);
		if (typeof fields.name !== 'string' || !fields.name.trim()) throw new HttpError(400, 'name: This value should not be blank.');
		for (const flag of ['is_customer', 'is_prospect'] as const) {
			if (fields[flag] !== undefined && typeof fields[flag] !== 'boolean') throw new HttpError(400, `${flag}: This value should be a boolean.`);
		}
		if (fields.internal_id !== undefined && typeof fields.internal_id !== 'string') throw new HttpError(400, 'internal_id: This value should be a string.');
		return addCompany({
			name: fields.name,
			internal_id: (fields.internal_id as string | undefined) ?? null,
			is_customer: fields.is_customer as boolean | undefined,
			is_prospect: fields.is_prospect as boolean | undefined
		});
	}

	function createInvoice(body: unknown): FakeInvoice {
		const fields = object(body);
		if (fields.company_id === undefined && fields.employee_email === undefined) {
			throw new HttpError(400, 'Either company_id or employee_email must be given.');
		}
		const customer = companies.find((c) => c.id === fields.company_id);
		if (!customer) throw new HttpError(400, `company_id: Company ${String(fields.company_id)} not found.`);
		const date = fields.date === undefined ? new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00') : fields.date;
		if (typeof date !== 'string' || !ISO_DATE_TIME.test(date)) throw new HttpError(400, 'date: This value is not a valid ISO 8601 date.');
		if (fields.due_date !== undefined && (typeof fields.due_date !== 'string' || !ISO_DATE_TIME.test(fields.due_date))) {
			throw new HttpError(400, 'due_date: This value is not a valid ISO 8601 date.');
		}
		const last = invoices.at(-1);
		if (last && Date.parse(date) < Date.parse(last.date)) throw new HttpError(400, "date: The date has to be posterior to the last invoice's date.");
		if (!Array.isArray(fields.products) || fields.products.length === 0) throw new HttpError(400, 'products: At least one product is required.');
		const lines = fields.products.map((product: unknown, index: number) => invoiceLine(product, index));
		const sum = (pick: (line: FakeInvoiceLine) => number) => round2(lines.reduce((total, line) => total + pick(line), 0));
		const sequence = nextInvoiceId - 5000;
		const created: FakeInvoice = {
			id: nextInvoiceId++,
			number: `FAC${date.slice(0, 4)}-${date.slice(5, 7)}-${String(sequence).padStart(5, '0')}`,
			company_id: customer.id,
			date,
			due_date: (fields.due_date as string | undefined) ?? null,
			pre_tax_amount: sum((line) => line.total_pre_tax_amount),
			tax_amount: sum((line) => line.total_tax_amount),
			total: sum((line) => line.total_amount),
			invoice_lines: lines
		};
		invoices.push(created);
		customer.is_customer = true;
		customer.is_prospect = false;
		return created;
	}

	function invoiceLine(product: unknown, index: number): FakeInvoiceLine {
		const fields = object(product);
		const at = `products[${index}]`;
		if (typeof fields.name !== 'string' || !fields.name.trim()) throw new HttpError(400, `${at}.name: This value should not be blank.`);
		for (const key of ['price', 'quantity', 'tax_rate'] as const) {
			if (typeof fields[key] !== 'number' || !Number.isFinite(fields[key])) throw new HttpError(400, `${at}.${key}: This value should be a number.`);
		}
		const price = fields.price as number;
		const quantity = fields.quantity as number;
		const rate = fields.tax_rate as number;
		if (!TAX_RATES.includes(rate)) throw new HttpError(400, `${at}.tax_rate: Tax rate ${rate} does not exist in this account.`);
		const discount = fields.discount_flat ?? 0;
		if (typeof discount !== 'number') throw new HttpError(400, `${at}.discount_flat: This value should be a number.`);
		const preTax = round2(price * quantity - discount);
		const tax = round2((preTax * rate) / 100);
		return {
			product_id: nextProductId++,
			product_name: fields.name,
			name: fields.name,
			price,
			quantity,
			details: typeof fields.description === 'string' ? fields.description : '',
			chapter: typeof fields.chapter === 'string' ? fields.chapter : '',
			total_pre_tax_amount: preTax,
			total_tax_amount: tax,
			total_amount: round2(preTax + tax),
			taxes: [{ rate, name: `${rate}%`, accounting_code: '44571' }],
			discounts: discount ? [{ amount: discount }] : []
		};
	}

	function invoiceView(stored: FakeInvoice) {
		const customer = companies.find((c) => c.id === stored.company_id);
		return {
			id: stored.id,
			number: stored.number,
			date: String(Math.floor(Date.parse(stored.date) / 1000)),
			due_date: stored.due_date ? String(Math.floor(Date.parse(stored.due_date) / 1000)) : null,
			tax_amount: stored.tax_amount,
			total: stored.total,
			currency: 'EUR',
			public_path: `https://axonaut.example/public/invoice/pdf/${stored.id}`,
			invoice_lines: stored.invoice_lines,
			company: customer ? { id: customer.id, name: customer.name, is_customer: customer.is_customer, is_prospect: customer.is_prospect } : null
		};
	}

	const server = createServer((req, res) => {
		void handle(req, res).catch(() => {
			if (!res.headersSent) reply(res, 500, { error: { status: 500, message: 'Internal Server Error' } });
		});
	});

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://fake');
		const method = req.method ?? 'GET';
		const query = Object.fromEntries(url.searchParams);
		const text = await readBody(req);
		let body: unknown = null;
		let malformed = false;
		if (text) {
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
				malformed = true;
			}
		}
		received.push({ method, path: url.pathname, query, headers: req.headers, body });

		const failure = failures.find((f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path === url.pathname));
		if (failure) {
			failure.left--;
			if (failure.mode === 'drop') return void req.socket.destroy();
			if (failure.mode === 500) return reply(res, 500, { error: { status: 500, message: 'Internal Server Error' } });
			if (failure.mode === 429) {
				res.setHeader('retry-after', String(failure.retryAfterSeconds));
				return reply(res, 429, { error: { status: 429, message: 'Too many requests' } });
			}
		}

		let status = 200;
		let answer: unknown;
		if (req.headers.userapikey !== apiKey) {
			status = 401;
			answer = { error: { status: 401, message: 'Invalid userApiKey' } };
		} else if (malformed) {
			status = 400;
			answer = { error: { status: 400, message: 'Invalid JSON body' } };
		} else {
			try {
				answer = route(method, url.pathname, query, req.headers, body);
			} catch (error) {
				if (!(error instanceof HttpError)) throw error;
				status = error.status;
				answer = { error: { status: error.status, message: error.message } };
			}
		}
		if (failure?.mode === 'drop-after') return void req.socket.destroy();
		reply(res, status, answer);
	}

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		apiKey,
		received,
		companies,
		invoices,
		failNext(n, mode, only = {}) {
			failures.push({ left: n, mode, method: only.method, path: only.path, retryAfterSeconds: only.retryAfterSeconds ?? 1 });
		},
		seedCompany(company) {
			return addCompany({ ...company, is_customer: true, is_prospect: false });
		},
		close() {
			server.closeAllConnections();
			return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
		}
	};
}

function companyView(stored: FakeCompany) {
	return { ...stored, creation_date: '2025-01-01T00:00:00+00:00', currency: 'EUR', language: 'fr', employees: [] };
}

/** Axonaut's list filters take DD/MM/YYYY and are exclusive. */
function filterInvoices(list: FakeInvoice[], query: Record<string, string>): FakeInvoice[] {
	const day = (value: string) => {
		const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
		if (!match) throw new HttpError(400, `Invalid date ${value}, expected DD/MM/YYYY`);
		return `${match[3]}-${match[2]}-${match[1]}`;
	};
	const after = query.date_after ? day(query.date_after) : null;
	const before = query.date_before ? day(query.date_before) : null;
	return list.filter((i) => {
		const issued = i.date.slice(0, 10);
		return (!after || issued > after) && (!before || issued < before) && (!query.number || i.number === query.number);
	});
}

function paginate<T>(list: T[], headers: IncomingHttpHeaders): T[] {
	const page = Number(headers.page ?? 1);
	if (!Number.isInteger(page) || page < 1) throw new HttpError(400, 'page: must be a positive integer');
	return list.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
}

function object(value: unknown): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'The body must be a JSON object.');
	return value as Record<string, unknown>;
}

function round2(value: number): number {
	return Math.round(value * 100) / 100;
}

function reply(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}
