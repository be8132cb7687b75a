import { randomUUID } from 'node:crypto';
import Papa from 'papaparse';
import type pg from 'pg';
import { z } from 'zod';
import { simplify } from '$lib/domain/orders/order-csv';
import { asService, withUser, type JwtClaims, type Sql } from '$lib/server/db/pool';
import { assignLead, type LeadAssignment } from './assign';

/**
 * Leads from a CSV file (a show's visitor list, an old CRM's export): a header row in French or
 * English, `;` or `,` separated, one lead per row. The whole file goes in or nothing does: every
 * row is checked first and every problem reported (row, field, code; the page words it), then
 * all rows are written in one transaction as the importer, customers found by the same email and
 * phone keys as the web form (a number typed any way is the same number), and finally each lead
 * is assigned by the organisation's rules.
 *
 *   prénom;nom;email;téléphone;code postal;message;immatriculation
 *   Camille;Durand;camille@exemple.fr;06 12 34 56 78;38000;Essai souhaité;AB-123-CD
 */

export const leadCsvFields = ['first_name', 'last_name', 'email', 'phone', 'postcode', 'message', 'plate'] as const;
export type LeadCsvField = (typeof leadCsvFields)[number];

export const leadRowErrors = ['required', 'contact_required', 'invalid_email', 'invalid_phone', 'invalid_postcode', 'too_long', 'unknown_plate'] as const;
export type LeadRowErrorCode = (typeof leadRowErrors)[number];

export interface LeadRowError {
	line: number;
	field: LeadCsvField;
	code: LeadRowErrorCode;
	value: string;
}

export interface LeadCsvRow {
	line: number;
	firstName: string | null;
	lastName: string;
	email: string | null;
	phone: string | null;
	postcode: string | null;
	message: string | null;
	plate: string | null;
}

export type LeadCsvFileError = 'empty' | 'no_header' | 'too_many_rows';

/** A visitor list, not a database dump. */
export const MAX_LEAD_CSV_ROWS = 2_000;

const headerAliases: Record<string, LeadCsvField> = {
	prenom: 'first_name',
	firstname: 'first_name',
	first: 'first_name',
	nom: 'last_name',
	nomdefamille: 'last_name',
	lastname: 'last_name',
	surname: 'last_name',
	name: 'last_name',
	email: 'email',
	mail: 'email',
	courriel: 'email',
	adresseemail: 'email',
	telephone: 'phone',
	tel: 'phone',
	phone: 'phone',
	mobile: 'phone',
	portable: 'phone',
	codepostal: 'postcode',
	cp: 'postcode',
	postcode: 'postcode',
	postalcode: 'postcode',
	zip: 'postcode',
	zipcode: 'postcode',
	message: 'message',
	commentaire: 'message',
	comment: 'message',
	demande: 'message',
	immatriculation: 'plate',
	immat: 'plate',
	plaque: 'plate',
	plate: 'plate',
	registration: 'plate'
};

const text = (max: number) => z.string().max(max, 'too_long').optional();
const rowSchema = z.object({
	first_name: text(100),
	last_name: z.string('required').min(1, 'required').max(100, 'too_long'),
	email: z.email('invalid_email').max(254, 'too_long').optional(),
	phone: z
		.string()
		.max(40, 'too_long')
		.refine((v) => /^\+?[0-9 .\-()]+$/.test(v) && v.replace(/\D/g, '').length >= 9, 'invalid_phone')
		.optional(),
	// Spreadsheets drop a leading zero: 1000 is Bourg-en-Bresse's 01000.
	postcode: z
		.string()
		.transform((v) => (/^[0-9]{4}$/.test(v) ? `0${v}` : v))
		.refine((v) => /^[0-9]{5}$/.test(v), 'invalid_postcode')
		.optional(),
	message: text(4000),
	plate: text(20)
});

/** The header row decides the separator: the one it uses most, outside quotes. */
function guessDelimiter(content: string): string {
	const header = content.split(/\r\n|\r|\n/).find((row) => row.trim()) ?? '';
	const bare = header.replace(/"[^"]*"/g, '');
	return bare.split(';').length > bare.split(',').length ? ';' : ',';
}

export type LeadCsvResult = { ok: true; rows: LeadCsvRow[]; errors: LeadRowError[] } | { ok: false; error: LeadCsvFileError };

/** Reads the file and checks every row; blank rows are skipped but counted, so "row 4" is the spreadsheet's. */
export function parseLeadCsv(input: string): LeadCsvResult {
	const content = input.replace(/^\uFEFF/, '');
	if (!content.trim()) return { ok: false, error: 'empty' };
	const parsed = Papa.parse<string[]>(content, { delimiter: guessDelimiter(content), skipEmptyLines: false });
	const headerIndex = parsed.data.findIndex((cells) => cells.some((c) => c.trim()));
	const columns = parsed.data[headerIndex].map((cell) => headerAliases[simplify(cell)] ?? null);
	if (!columns.includes('last_name')) return { ok: false, error: 'no_header' };
	const body = parsed.data.slice(headerIndex + 1);
	if (body.filter((cells) => cells.some((c) => c.trim())).length > MAX_LEAD_CSV_ROWS) return { ok: false, error: 'too_many_rows' };

	const rows: LeadCsvRow[] = [];
	const errors: LeadRowError[] = [];
	body.forEach((cells, i) => {
		if (!cells.some((c) => c.trim())) return;
		const line = headerIndex + i + 2;
		const cell: Partial<Record<LeadCsvField, string>> = {};
		columns.forEach((field, c) => {
			const value = (cells[c] ?? '').trim();
			if (field && cell[field] === undefined && value) cell[field] = value;
		});
		const result = rowSchema.safeParse(cell);
		const rowErrors: LeadRowError[] = [];
		if (!result.success) {
			const seen = new Set<string>();
			for (const issue of result.error.issues) {
				const field = String(issue.path[0]) as LeadCsvField;
				if (seen.has(field)) continue;
				seen.add(field);
				const code = (leadRowErrors as readonly string[]).includes(issue.message) ? (issue.message as LeadRowErrorCode) : 'required';
				rowErrors.push({ line, field, code, value: (cell[field] ?? '').slice(0, 60) });
			}
		}
		if (!cell.email && !cell.phone) rowErrors.push({ line, field: 'phone', code: 'contact_required', value: '' });
		if (rowErrors.length || !result.success) {
			errors.push(...rowErrors);
			return;
		}
		const v = result.data;
		rows.push({
			line,
			firstName: v.first_name ?? null,
			lastName: v.last_name,
			email: v.email ?? null,
			phone: v.phone ?? null,
			postcode: v.postcode ?? null,
			message: v.message ?? null,
			plate: v.plate ?? null
		});
	});
	return { ok: true, rows, errors };
}

export interface LeadImportSummary {
	leads: number;
	newCustomers: number;
	knownCustomers: number;
	/** Each lead and where the rules put it. */
	assignments: (LeadAssignment & { leadId: string; line: number })[];
}

export type LeadImportResult =
	| { ok: true; summary: LeadImportSummary }
	| { ok: false; error: LeadCsvFileError | 'forbidden' }
	| { ok: false; errors: LeadRowError[] };

/** Plates as typed (AB-123-CD, ab123cd) into the group's dealer stock vehicles the person sees. */
async function resolvePlates(sql: Sql, plates: string[]): Promise<Map<string, string>> {
	const { rows } = await sql.query(
		`select p.plate, (select v.id from public.vehicles v
		                   where v.client_account_id is null and v.organisation_id = private.organisation_id()
		                     and regexp_replace(upper(v.plate), '[^A-Z0-9]', '', 'g') = regexp_replace(upper(p.plate), '[^A-Z0-9]', '', 'g')
		                   order by v.created_at desc limit 1) as id
		   from unnest($1::text[]) as p (plate)`,
		[plates]
	);
	return new Map(rows.filter((r) => r.id).map((r) => [r.plate, r.id]));
}

/** Writes one row's customer (found or created) and lead; returns whether the customer was new. */
async function writeRow(sql: Sql, row: LeadCsvRow, vehicleId: string | null, siteId: string): Promise<{ leadId: string; newCustomer: boolean }> {
	const { rows: found } = await sql.query(
		`select c.id from public.customers c
		  where c.organisation_id = private.organisation_id()
		    and (($1::text is not null and c.email_key = public.customer_email_key($1)) or ($2::text is not null and c.phone_key = public.customer_phone_key($2)))
		  order by c.created_at limit 1`,
		[row.email, row.phone]
	);
	let customerId = found[0]?.id as string | undefined;
	if (customerId) {
		await sql.query(
			`update public.customers c set postcode = coalesce($2, c.postcode), email = coalesce(c.email, $3), phone = coalesce(c.phone, $4)
			  where c.id = $1`,
			[customerId, row.postcode, row.email, row.phone]
		);
	} else {
		const { rows } = await sql.query(
			`insert into public.customers (organisation_id, first_name, last_name, email, phone, postcode, first_site_id)
			 values (private.organisation_id(), $1, $2, $3, $4, $5, $6) returning id`,
			[row.firstName, row.lastName, row.email, row.phone, row.postcode, siteId]
		);
		customerId = rows[0].id as string;
	}
	// The id is chosen here: an unassigned lead is not readable by a sales person (no RETURNING).
	const leadId = randomUUID();
	await sql.query(
		`insert into public.leads (id, organisation_id, customer_id, source, requested_vehicle_id, message, value_cents)
		 values ($1, private.organisation_id(), $2, 'import', $3, $4,
		         coalesce((select v.sale_price_cents from public.vehicles v where v.id = $3), 0))`,
		[leadId, customerId, vehicleId, row.message]
	);
	return { leadId, newCustomer: !found[0] };
}

/**
 * Imports the file as the person (claims), all or nothing, then assigns every lead. `siteId` is
 * the importer's current site: the first site of the customers the file creates, which must be
 * one of the person's CRM sites.
 */
export async function importLeads(pool: pg.Pool, claims: JwtClaims, input: { text: string; siteId: string }): Promise<LeadImportResult> {
	const parsed = parseLeadCsv(input.text);
	if (!parsed.ok) return parsed;
	const result = await withUser(pool, claims, async (sql) => {
		const { rows: may } = await sql.query(`select $1::uuid in (select private.crm_site_ids()) as ok`, [input.siteId]);
		if (!may[0].ok) return { ok: false as const, error: 'forbidden' as const };
		const plates = await resolvePlates(sql, [...new Set(parsed.rows.flatMap((r) => (r.plate ? [r.plate] : [])))]);
		const errors = [...parsed.errors];
		for (const row of parsed.rows) {
			if (row.plate && !plates.has(row.plate)) errors.push({ line: row.line, field: 'plate', code: 'unknown_plate', value: row.plate });
		}
		if (errors.length) return { ok: false as const, errors: errors.sort((a, b) => a.line - b.line) };
		if (parsed.rows.length === 0) return { ok: false as const, error: 'empty' as const };
		const written: { leadId: string; line: number }[] = [];
		let newCustomers = 0;
		for (const row of parsed.rows) {
			const { leadId, newCustomer } = await writeRow(sql, row, row.plate ? plates.get(row.plate)! : null, input.siteId);
			if (newCustomer) newCustomers += 1;
			written.push({ leadId, line: row.line });
		}
		return { ok: true as const, written, newCustomers };
	});
	if (!result.ok) return result;
	const assignments: LeadImportSummary['assignments'] = [];
	for (const { leadId, line } of result.written) {
		assignments.push({ leadId, line, ...(await asService(pool, (sql) => assignLead(sql, leadId))) });
	}
	return {
		ok: true,
		summary: { leads: result.written.length, newCustomers: result.newCustomers, knownCustomers: result.written.length - result.newCustomers, assignments }
	};
}
