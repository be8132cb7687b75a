// Relative imports: the export worker (jobs.ts) runs in the realtime bundle, without $lib.
import type { Sql } from '../db/pool';
import type { AccountingInvoice, AccountingLine } from '../accounting/model';
import { lineNet, vatOf } from '../../domain/invoicing/totals';
import { listInvoices, type InvoiceFilter } from './queries';

/**
 * Issued invoices and credit notes as accounting sees them, read as the person (RLS). The
 * selection is exactly the list's (same filter, same query), drafts left out, so an export
 * holds what the screen showed.
 */

/** Enough for a year of a large site; an export is a file, not a page. */
const EXPORT_LIMIT = 20_000;

type InvoiceRow = Omit<AccountingInvoice, 'lines' | 'site' | 'customer'> & {
	siteCode: string;
	legalName: string;
	customerId: string;
	customerName: string;
	customerEmail: string | null;
	customerRemoteId: string | null;
};

interface LineRow {
	invoiceId: string;
	description: string;
	quantity: number;
	unitPriceCents: number;
	discountCents: number;
	vatRateBp: number;
}

/**
 * Splits each rate's VAT over its lines so that the lines add up to the invoice exactly. The
 * invoice rounds VAT once per rate (totals.ts); rounding every line would drift by a cent now
 * and then, and a ledger entry must balance. Each line gets its floor, and the cents left go to
 * the lines with the largest remainders (ties: first line first).
 */
export function allocateVat(lines: readonly Omit<AccountingLine, 'vatCents'>[]): AccountingLine[] {
	const vat = lines.map(() => 0);
	const rates = new Set(lines.map((l) => l.vatRateBp));
	for (const rate of rates) {
		const members = lines.flatMap((l, i) => (l.vatRateBp === rate ? [i] : []));
		const base = members.reduce((sum, i) => sum + lines[i].netCents, 0);
		const total = vatOf(base, rate);
		const parts = members.map((i) => {
			const exact = lines[i].netCents * rate;
			return { i, floor: Math.floor(exact / 10_000), remainder: exact - Math.floor(exact / 10_000) * 10_000 };
		});
		let left = total - parts.reduce((sum, p) => sum + p.floor, 0);
		for (const p of parts) vat[p.i] = p.floor;
		const order = [...parts].sort((a, b) => (left >= 0 ? b.remainder - a.remainder : a.remainder - b.remainder) || a.i - b.i);
		for (let k = 0; left !== 0 && order.length > 0; k = (k + 1) % order.length) {
			vat[order[k].i] += Math.sign(left);
			left -= Math.sign(left);
		}
	}
	return lines.map((l, i) => ({ ...l, vatCents: vat[i] }));
}

export async function accountingInvoices(sql: Sql, filter: InvoiceFilter): Promise<AccountingInvoice[]> {
	const ids = (await listInvoices(sql, filter, EXPORT_LIMIT)).filter((i) => i.status !== 'draft').map((i) => i.id);
	return accountingInvoicesByIds(sql, ids);
}

/** The issued invoices among `ids` that the person (or the service) may read, oldest first. */
export async function accountingInvoicesByIds(sql: Sql, ids: readonly string[]): Promise<AccountingInvoice[]> {
	if (ids.length === 0) return [];
	// One after the other: a transaction's client runs one query at a time.
	const heads = await sql.query<InvoiceRow>(
		`select i.id, i.kind, i.number, i.issued_on::text as "issuedOn", i.due_on::text as "dueOn", c.number as "creditsNumber",
		        s.code as "siteCode", s.legal_name as "legalName", ca.id as "customerId", ca.name as "customerName",
		        ca.billing_email as "customerEmail", ca.accounting_remote_id as "customerRemoteId",
		        i.net_cents as "netCents", i.vat_cents as "vatCents", i.gross_cents as "grossCents"
		 from public.invoices i
		 join public.sites s on s.id = i.site_id
		 join public.client_accounts ca on ca.id = i.client_account_id
		 left join public.invoices c on c.id = i.credits_invoice_id
		 where i.id = any ($1::uuid[]) and i.status <> 'draft'
		 order by i.issued_on, i.number`,
		[ids]
	);
	const lines = await sql.query<LineRow>(
		`select invoice_id as "invoiceId", description, quantity, unit_price_cents as "unitPriceCents",
		        discount_cents as "discountCents", vat_rate_bp as "vatRateBp"
		 from public.invoice_lines where invoice_id = any ($1::uuid[]) and removed_at is null
		 order by position, created_at`,
		[ids]
	);
	const linesOf = new Map<string, LineRow[]>();
	for (const line of lines.rows) linesOf.set(line.invoiceId, [...(linesOf.get(line.invoiceId) ?? []), line]);
	return heads.rows.map(({ siteCode, legalName, customerId, customerName, customerEmail, customerRemoteId, ...head }) => ({
		...head,
		site: { code: siteCode, legalName },
		customer: { id: customerId, name: customerName, email: customerEmail, remoteId: customerRemoteId },
		lines: allocateVat(
			(linesOf.get(head.id) ?? []).map(({ description, quantity, unitPriceCents, discountCents, vatRateBp }) => ({
				description,
				quantity,
				unitPriceCents,
				discountCents,
				vatRateBp,
				netCents: lineNet({ quantity, unitPriceCents, discountCents, vatRateBp })
			}))
		)
	}));
}

/**
 * The SIREN an FEC file is named after: that of the companies behind the exported invoices (or
 * the filtered site when there are none). Null when there are several, since a ledger file
 * belongs to one company.
 */
export async function fecSiren(sql: Sql, invoiceIds: readonly string[], siteId: string | null): Promise<string | null> {
	const { rows } = await sql.query<{ siren: string }>(
		`select distinct left(s.siret, 9) as siren from public.sites s
		 where s.id in (select i.site_id from public.invoices i where i.id = any ($1::uuid[]))
		    or (cardinality($1::uuid[]) = 0 and s.id = $2::uuid)`,
		[invoiceIds, siteId]
	);
	return rows.length === 1 ? rows[0].siren : null;
}
