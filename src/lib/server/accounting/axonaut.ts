import { z } from 'zod';
import type { AccountingAdapter, AccountingInvoice, ExportResult } from './model';

/*
 * Axonaut API v2 adapter.
 *
 * Sources (read, not copied):
 * - Axonaut's OpenAPI 3 description "Axonaut 2.0.0" served at https://axonaut.com/api/v2/doc
 *   (a copy is kept as swagger-data.json in github.com/Kylian-Mallet/n8n-nodes-axonaut):
 *   server https://axonaut.com; `GET/POST /api/v2/companies` (query `search`, `internal_id`),
 *   `GET /api/v2/companies/{companyId}`, `GET /api/v2/companies/{companyId}/invoices` (query
 *   `date_after`/`date_before` as DD/MM/YYYY, page number in a `page` header),
 *   `POST /api/v2/invoices` (schema `invoice.post`: company_id, date, due_date as ISO 8601
 *   with offset, products[]: name, price, tax_rate in percent, quantity, discount_flat, chapter)
 *   answered with `invoice.get` (id, number, invoice_lines[].chapter…); `company.post`
 *   (name, is_customer, is_prospect, internal_id) answered with `company.get`.
 * - The `userApiKey` header: the same spec, and the Axonaut examples at
 *   https://pipedream.com/apps/axonaut and in github.com/Lamouller/Axonaut_n8n_node.
 * - Credit notes: Axonaut has no credit-note endpoint; its help centre ("Comment faire un avoir
 *   sur Axonaut", support.axonaut.com/fr/articles/3546176) makes one as an invoice with negative
 *   quantities, and https://docs.chift.eu/connectors/invoicing/axonaut tells refunds from
 *   invoices by the sign of the total. We do the same.
 *
 * Limitations, because of what the API offers:
 * - `invoice.post` has no field for our number: Axonaut numbers the invoice itself. To find an
 *   invoice we already sent, every line carries a chapter naming our site and number
 *   (`chapter` is written by `invoice.post` and read back in `invoice.get`), and we look for it
 *   among the customer's invoices dated around the issue date.
 * - Products without `id`/`internal_id` are created in Axonaut's catalogue on the fly.
 * - Whether `discount_flat` applies to the line or per unit is not documented; we send the
 *   line's discount.
 * - The error body's shape is not documented; errors carry it verbatim (truncated).
 */

export interface AxonautOptions {
	baseUrl?: string;
	apiKey: string;
	fetcher?: typeof fetch;
	sleep?: (ms: number) => Promise<void>;
	maxAttempts?: number;
	baseDelayMs?: number;
	/** Jitter source, injectable so tests know the delays. */
	random?: () => number;
	timeoutMs?: number;
	/** A Retry-After longer than this fails now, for the job queue to try again later. */
	maxRetryAfterMs?: number;
}

/** A failed exchange with Axonaut: `status` is null when no HTTP answer came back. */
export class AxonautError extends Error {
	constructor(
		message: string,
		readonly status: number | null,
		readonly body: string,
		readonly retryable: boolean,
		readonly retryAfterMs: number | null = null
	) {
		super(message);
		this.name = 'AxonautError';
	}
}

const company = z.object({ id: z.number().int(), name: z.string(), internal_id: z.string().nullish() });
const invoice = z.object({
	id: z.number().int(),
	number: z.string().nullish(),
	invoice_lines: z.array(z.object({ chapter: z.string().nullish() })).nullish()
});
type RemoteInvoice = z.infer<typeof invoice>;

/** Pages of a customer's invoices read when looking for one we already sent. */
const MAX_PAGES = 20;

export function axonautAdapter(options: AxonautOptions): AccountingAdapter {
	const {
		baseUrl = 'https://axonaut.com',
		apiKey,
		fetcher = fetch,
		sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
		maxAttempts = 5,
		baseDelayMs = 500,
		random = Math.random,
		timeoutMs = 30_000,
		maxRetryAfterMs = 60_000
	} = options;

	async function send(
		method: 'GET' | 'POST',
		path: string,
		request: { query?: Record<string, string>; body?: unknown; page?: number } = {}
	): Promise<unknown> {
		const url = new URL(path, baseUrl);
		for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
		const headers: Record<string, string> = { userApiKey: apiKey, accept: 'application/json' };
		if (request.body !== undefined) headers['content-type'] = 'application/json';
		if (request.page !== undefined) headers.page = String(request.page);
		const what = `Axonaut ${method} ${path}`;
		let status: number;
		let text: string;
		let retryAfter: string | null;
		try {
			const response = await fetcher(url, {
				method,
				headers,
				body: request.body === undefined ? undefined : JSON.stringify(request.body),
				signal: AbortSignal.timeout(timeoutMs)
			});
			status = response.status;
			retryAfter = response.headers.get('retry-after');
			text = await response.text();
		} catch (error) {
			throw new AxonautError(`${what} got no answer: ${describe(error)}`, null, '', true);
		}
		if (status < 200 || status >= 300) {
			const hint = status === 401 || status === 403 ? ' (check the Axonaut API key and its rights)' : '';
			throw new AxonautError(
				`${what} answered HTTP ${status}${hint}: ${text.slice(0, 500) || '(empty body)'}`,
				status,
				text,
				status === 429 || status >= 500,
				status === 429 || status === 503 ? retryAfterMs(retryAfter) : null
			);
		}
		try {
			return text ? JSON.parse(text) : null;
		} catch {
			throw new AxonautError(`${what} answered HTTP ${status} with a body that is not JSON: ${text.slice(0, 200)}`, status, text, false);
		}
	}

	function read<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
		const parsed = schema.safeParse(data);
		if (parsed.success) return parsed.data;
		const body = JSON.stringify(data) ?? '';
		throw new AxonautError(`Axonaut answered an unexpected ${what}: ${z.prettifyError(parsed.error)}`, 200, body, false);
	}

	/**
	 * Runs `operation` again on network errors, 429 and 5xx, waiting the Retry-After or an
	 * exponential delay with jitter. The operation re-reads remote state before it writes, so a
	 * write whose answer was lost is found instead of repeated.
	 */
	async function withRetries<T>(operation: () => Promise<T>): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await operation();
			} catch (error) {
				if (!(error instanceof AxonautError) || !error.retryable) throw error;
				if (attempt >= maxAttempts) {
					throw new AxonautError(`${error.message} (gave up after ${attempt} attempts)`, error.status, error.body, false);
				}
				if (error.retryAfterMs !== null && error.retryAfterMs > maxRetryAfterMs) {
					throw new AxonautError(`${error.message} (Retry-After ${error.retryAfterMs} ms is too long to wait)`, error.status, error.body, false);
				}
				const ceiling = baseDelayMs * 2 ** (attempt - 1);
				await sleep(error.retryAfterMs ?? Math.round(ceiling / 2 + (random() * ceiling) / 2));
			}
		}
	}

	async function findOrCreateCompany(customer: AccountingInvoice['customer']): Promise<number> {
		if (customer.remoteId) {
			try {
				const known = await send('GET', `/api/v2/companies/${encodeURIComponent(customer.remoteId)}`);
				return read(company, known, 'company').id;
			} catch (error) {
				// Deleted in Axonaut since: find or create it again below.
				if (!(error instanceof AxonautError && error.status === 404)) throw error;
			}
		}
		const tagged = read(z.array(company), await send('GET', '/api/v2/companies', { query: { internal_id: customer.id } }), 'company list');
		const ours = tagged.find((c) => c.internal_id === customer.id);
		if (ours) return ours.id;
		const named = read(z.array(company), await send('GET', '/api/v2/companies', { query: { search: customer.name } }), 'company list');
		const same = named.find((c) => sameName(c.name, customer.name));
		if (same) return same.id;
		const created = await send('POST', '/api/v2/companies', {
			body: { name: customer.name, is_customer: true, is_prospect: false, internal_id: customer.id }
		});
		return read(company, created, 'company').id;
	}

	async function findInvoice(companyId: number, accounting: AccountingInvoice): Promise<RemoteInvoice | null> {
		const marker = invoiceMarker(accounting);
		const query = { date_after: dayMonthYear(accounting.issuedOn, -1), date_before: dayMonthYear(accounting.issuedOn, 1) };
		for (let page = 1; page <= MAX_PAGES; page++) {
			const found = read(z.array(invoice), await send('GET', `/api/v2/companies/${companyId}/invoices`, { query, page }), 'invoice list');
			const hit = found.find((candidate) => candidate.invoice_lines?.some((line) => line.chapter === marker));
			if (hit) return hit;
			if (found.length === 0) return null;
		}
		return null;
	}

	return {
		name: 'axonaut',
		async exportInvoice(accounting): Promise<ExportResult> {
			if (accounting.lines.length === 0) throw new Error(`invoice ${accounting.number} has no lines to export`);
			const companyId = await withRetries(() => findOrCreateCompany(accounting.customer));
			const { remote, created } = await withRetries(async () => {
				const existing = await findInvoice(companyId, accounting);
				if (existing) return { remote: existing, created: false };
				const made = await send('POST', '/api/v2/invoices', { body: invoiceBody(companyId, accounting) });
				return { remote: read(invoice, made, 'invoice'), created: true };
			});
			return { customerRemoteId: String(companyId), invoiceRemoteId: String(remote.id), created };
		}
	};
}

/** The chapter every line of the remote invoice carries: how we recognise it later. */
export function invoiceMarker(accounting: AccountingInvoice): string {
	if (accounting.kind === 'invoice') return `Relais ${accounting.site.code} · facture ${accounting.number}`;
	const credited = accounting.creditsNumber ? ` sur facture ${accounting.creditsNumber}` : '';
	return `Relais ${accounting.site.code} · avoir ${accounting.number}${credited}`;
}

/** The `invoice.post` body. A credit note is an invoice with negative quantities, as in Axonaut. */
export function invoiceBody(companyId: number, accounting: AccountingInvoice) {
	const sign = accounting.kind === 'credit_note' ? -1 : 1;
	const chapter = invoiceMarker(accounting);
	return {
		company_id: companyId,
		date: isoDateTime(accounting.issuedOn),
		...(accounting.dueOn ? { due_date: isoDateTime(accounting.dueOn) } : {}),
		products: accounting.lines.map((line) => ({
			name: line.description,
			price: line.unitPriceCents / 100,
			tax_rate: line.vatRateBp / 100,
			quantity: sign * line.quantity,
			...(line.discountCents ? { discount_flat: (sign * line.discountCents) / 100 } : {}),
			chapter
		}))
	};
}

/** Noon UTC: the same calendar day in every European time zone. */
function isoDateTime(isoDate: string): string {
	return `${checkedDate(isoDate)}T12:00:00+00:00`;
}

/** `2025-03-14`, shifted by `days`, as Axonaut's list filters want it: `13/03/2025`. */
function dayMonthYear(isoDate: string, days: number): string {
	const date = new Date(`${checkedDate(isoDate)}T00:00:00Z`);
	date.setUTCDate(date.getUTCDate() + days);
	const [year, month, day] = date.toISOString().slice(0, 10).split('-');
	return `${day}/${month}/${year}`;
}

function checkedDate(isoDate: string): string {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new Error(`not an ISO date: ${JSON.stringify(isoDate)}`);
	return isoDate;
}

function sameName(a: string, b: string): boolean {
	const normal = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('fr');
	return normal(a) === normal(b);
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
function retryAfterMs(header: string | null): number | null {
	if (!header) return null;
	if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
	const at = Date.parse(header);
	return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function describe(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
	return `${error.name === 'TimeoutError' ? 'timed out' : error.message}${cause}`;
}
