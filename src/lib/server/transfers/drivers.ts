import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Sql } from '$lib/server/db/pool';
import type { Storage } from '$lib/server/storage';
import { complianceOf, documentKinds, type Compliance, type DocumentKind } from '$lib/domain/transfers/documents';
import { validate, type FieldErrors } from '$lib/validation';

/**
 * Drivers and their compliance documents, run as the signed-in person (sql from `withUser`):
 * the policies of 20261203000400 let the organisation's site managers, directors and admins
 * keep them and a driver read their own record. Expected refusals are DriverErrors with FR/EN
 * messages per field; anything else is a bug.
 */

type Locale = 'fr' | 'en';

export class DriverError extends Error {
	constructor(
		readonly status: 400 | 403 | 404,
		readonly errors: FieldErrors
	) {
		super(Object.values(errors).flat().join(' '));
	}
}

const texts = {
	partnerCompany: (l: Locale) => (l === 'fr' ? 'Indiquez la société partenaire.' : 'Enter the partner company.'),
	noCompany: (l: Locale) => (l === 'fr' ? 'Un chauffeur interne n’a pas de société partenaire.' : 'An internal driver has no partner company.'),
	phone: (l: Locale) => (l === 'fr' ? 'Numéro de téléphone invalide (ex. +33 6 12 34 56 78).' : 'Invalid phone number (e.g. +33 6 12 34 56 78).'),
	login: (l: Locale) =>
		l === 'fr' ? 'Ce compte n’est pas un chauffeur de l’organisation ou a déjà sa fiche.' : 'This account is not one of the organisation’s drivers or already has a record.',
	pastDate: (l: Locale) => (l === 'fr' ? 'La date d’expiration ne peut pas être passée.' : 'The expiry date cannot be in the past.'),
	fileNeeded: (l: Locale) => (l === 'fr' ? 'Joignez le document (PDF, JPEG ou PNG).' : 'Attach the document (PDF, JPEG or PNG).'),
	fileType: (l: Locale) => (l === 'fr' ? 'Seuls les fichiers PDF, JPEG ou PNG sont acceptés.' : 'Only PDF, JPEG or PNG files are accepted.'),
	fileSize: (l: Locale) => (l === 'fr' ? 'Le fichier dépasse 10 Mo.' : 'The file is larger than 10 MB.'),
	forbidden: (l: Locale) => (l === 'fr' ? 'Vous ne pouvez pas modifier ce chauffeur.' : 'You may not change this driver.'),
	notFound: (l: Locale) => (l === 'fr' ? 'Chauffeur introuvable.' : 'Driver not found.')
};

// ─── files ─────────────────────────────────────────────────────────────────────────────────

const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
type FileType = 'application/pdf' | 'image/jpeg' | 'image/png';
const extensions: Record<FileType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/** What the bytes are, from their first bytes: a file's name and declared type prove nothing. */
export function documentFileTypeOf(bytes: Uint8Array): FileType | null {
	const starts = (magic: number[]) => bytes.length > magic.length && magic.every((b, i) => bytes[i] === b);
	if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
	if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
	return null;
}

export interface UploadedDocument {
	name: string;
	bytes: Uint8Array;
}

// ─── reading ───────────────────────────────────────────────────────────────────────────────

export interface DriverChoice {
	id: string;
	/** The person a transfer names; null for a partner's driver who does not sign in. */
	profileId: string | null;
	fullName: string;
	kind: 'internal' | 'partner';
	partnerCompany: string | null;
	/** Mandatory documents missing or expired today: empty when the driver may be assigned. */
	missing: DocumentKind[];
}

/**
 * The organisation's active drivers as the signed-in manager sees them, each with what keeps
 * them from being assigned, for the assignment form to show before the database refuses.
 */
export async function driverChoices(sql: Sql): Promise<DriverChoice[]> {
	const { rows } = await sql.query<DriverChoice>(
		`select d.id, d.profile_id as "profileId", d.full_name as "fullName", d.kind, d.partner_company as "partnerCompany",
		        private.driver_compliance(d.id) as missing
		 from public.drivers d where d.active
		 order by cardinality(private.driver_compliance(d.id)) = 0 desc, d.full_name`
	);
	return rows;
}

export interface DriverDocument {
	id: string;
	kind: DocumentKind;
	number: string | null;
	expiresOn: string | null;
	fileName: string | null;
	hasFile: boolean;
	updatedAt: string;
}

export interface DriverDetail {
	id: string;
	kind: 'internal' | 'partner';
	fullName: string;
	partnerCompany: string | null;
	phone: string | null;
	active: boolean;
	profileId: string | null;
	/** The login's name when the driver signs in. */
	login: string | null;
	compliance: Compliance;
	/** The current document of each kind on file (the longest-running one), in kind order. */
	documents: DriverDocument[];
}

/** The day it is in Paris, the day documents are judged on (as private.driver_compliance does). */
export async function parisToday(sql: Sql): Promise<string> {
	const { rows } = await sql.query<{ today: string }>(`select (now() at time zone 'Europe/Paris')::date::text as today`);
	return rows[0].today;
}

const driverColumns = `d.id, d.kind, d.full_name as "fullName", d.partner_company as "partnerCompany", d.phone, d.active,
	d.profile_id as "profileId", p.full_name as login,
	coalesce((select json_agg(json_build_object('id', x.id, 'kind', x.kind, 'number', x.number, 'expiresOn', x.expires_on, 'fileName', x.file_name,
	                                            'hasFile', x.storage_key is not null, 'updatedAt', x.updated_at)
	                          order by x.expires_on desc nulls first, x.created_at desc)
	          from public.driver_documents x where x.driver_id = d.id), '[]') as documents`;

type DriverRow = Omit<DriverDetail, 'compliance'>;

function withCompliance(row: DriverRow, today: string): DriverDetail {
	const current = documentKinds.flatMap((kind) => row.documents.find((doc) => doc.kind === kind) ?? []);
	return { ...row, documents: current, compliance: complianceOf(row.documents, today) };
}

export const driverFilterSchema = z.object({
	q: z.string().trim().max(100).catch(''),
	kind: z.enum(['internal', 'partner']).optional().catch(undefined),
	standing: z.enum(['blocked', 'expiring', 'ok']).optional().catch(undefined),
	active: z.enum(['active', 'inactive', 'all']).catch('active')
});
export type DriverFilter = z.infer<typeof driverFilterSchema>;

/** The drivers the person may read, filtered; `standing` is judged on Paris's today. */
export async function listDrivers(sql: Sql, filter: DriverFilter): Promise<{ today: string; drivers: DriverDetail[] }> {
	const today = await parisToday(sql);
	const { rows } = await sql.query<DriverRow>(
		`select ${driverColumns}
		 from public.drivers d left join public.profiles p on p.id = d.profile_id
		 where ($1 = '' or d.full_name ilike '%' || $1 || '%' or d.partner_company ilike '%' || $1 || '%')
		   and ($2::text is null or d.kind = $2)
		   and ($3 = 'all' or d.active = ($3 = 'active'))
		 order by d.active desc, d.full_name
		 limit 500`,
		[filter.q, filter.kind ?? null, filter.active]
	);
	const drivers = rows.map((r) => withCompliance(r, today));
	const standing = (d: DriverDetail) => (!d.compliance.assignable ? 'blocked' : d.compliance.expiring.length ? 'expiring' : 'ok');
	return { today, drivers: filter.standing ? drivers.filter((d) => standing(d) === filter.standing) : drivers };
}

/** One driver as the person may read them (their own record, for a driver); null otherwise. */
export async function driverDetail(sql: Sql, driverId: string): Promise<DriverDetail | null> {
	if (!z.guid().safeParse(driverId).success) return null;
	const today = await parisToday(sql);
	const { rows } = await sql.query<DriverRow>(
		`select ${driverColumns} from public.drivers d left join public.profiles p on p.id = d.profile_id where d.id = $1`,
		[driverId]
	);
	return rows[0] ? withCompliance(rows[0], today) : null;
}

/** The record of the signed-in driver, if they have one. */
export async function ownDriverId(sql: Sql): Promise<string | null> {
	const { rows } = await sql.query<{ id: string }>(`select id from public.drivers where profile_id = auth.uid()`);
	return rows[0]?.id ?? null;
}

/** People of the organisation who drive (a 'driver' membership) and have no record yet, or have `keep`'s. */
export async function unlinkedDriverLogins(sql: Sql, keep: string | null = null): Promise<{ id: string; fullName: string }[]> {
	const { rows } = await sql.query<{ id: string; fullName: string }>(
		`select p.id, p.full_name as "fullName" from public.profiles p
		 where private.drives_for(p.id, p.organisation_id)
		   and not exists (select 1 from public.drivers d where d.profile_id = p.id and d.id is distinct from $1::uuid)
		 order by p.full_name`,
		[keep]
	);
	return rows;
}

/** A document the person may read (RLS), with where its bytes are; null otherwise. */
export async function readableDriverDocument(sql: Sql, documentId: string): Promise<{ key: string; fileName: string } | null> {
	const { rows } = await sql.query<{ key: string | null; fileName: string | null }>(
		`select storage_key as key, file_name as "fileName" from public.driver_documents where id = $1`,
		[documentId]
	);
	const r = rows[0];
	return r?.key ? { key: r.key, fileName: r.fileName ?? 'document' } : null;
}

// ─── writing ───────────────────────────────────────────────────────────────────────────────

function parse<S extends z.ZodType>(schema: S, input: unknown, locale: Locale): z.output<S> {
	const result = validate(schema, input, locale);
	if (!result.ok) throw new DriverError(400, result.errors);
	return result.data;
}

const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max)
		.optional()
		.transform((v) => v || null);

function driverSchema(locale: Locale) {
	return z
		.object({
			driverId: z.guid().optional(),
			kind: z.enum(['internal', 'partner']),
			fullName: z.string().trim().min(1).max(200),
			partnerCompany: optionalText(200),
			phone: optionalText(30).refine((v) => v === null || /^\+?[0-9][0-9 .-]{5,24}$/.test(v), { error: () => texts.phone(locale) }),
			profileId: z
				.string()
				.optional()
				.transform((v) => v || null)
				.pipe(z.guid().nullable())
		})
		.superRefine((v, ctx) => {
			if (v.kind === 'partner' && !v.partnerCompany) ctx.addIssue({ code: 'custom', path: ['partnerCompany'], message: texts.partnerCompany(locale) });
			if (v.kind === 'internal' && v.partnerCompany) ctx.addIssue({ code: 'custom', path: ['partnerCompany'], message: texts.noCompany(locale) });
		});
}

/** Row-level security and constraint refusals, worded for the reader. */
function refused(err: unknown, locale: Locale): never {
	const e = err as { code?: string; constraint?: string };
	if (e.code === '42501') throw new DriverError(403, { '': [texts.forbidden(locale)] });
	if (e.code === '23505' && e.constraint === 'drivers_profile_id_key') throw new DriverError(400, { profileId: [texts.login(locale)] });
	throw err;
}

/** Registers a driver (no `driverId`) or changes one; the login must be one of the organisation's drivers. */
export async function saveDriver(sql: Sql, input: unknown, locale: Locale): Promise<{ id: string }> {
	const v = parse(driverSchema(locale), input, locale);
	if (v.profileId && !(await unlinkedDriverLogins(sql, v.driverId ?? null)).some((p) => p.id === v.profileId)) {
		throw new DriverError(400, { profileId: [texts.login(locale)] });
	}
	const values = [v.kind, v.fullName, v.partnerCompany, v.phone, v.profileId];
	try {
		if (!v.driverId) {
			const { rows } = await sql.query<{ id: string }>(
				`insert into public.drivers (organisation_id, kind, full_name, partner_company, phone, profile_id)
				 values (private.organisation_id(), $1, $2, $3, $4, $5) returning id`,
				values
			);
			return rows[0];
		}
		const { rows } = await sql.query<{ id: string }>(
			`update public.drivers set kind = $1, full_name = $2, partner_company = $3, phone = $4, profile_id = $5 where id = $6 returning id`,
			[...values, v.driverId]
		);
		if (!rows[0]) throw await absentOrForbidden(sql, v.driverId, locale);
		return rows[0];
	} catch (err) {
		if (err instanceof DriverError) throw err;
		refused(err, locale);
	}
}

/** An update that changed nothing: the driver is not there for the person, or not theirs to change. */
async function absentOrForbidden(sql: Sql, driverId: string, locale: Locale): Promise<DriverError> {
	const { rowCount } = await sql.query(`select 1 from public.drivers where id = $1`, [driverId]);
	return rowCount ? new DriverError(403, { '': [texts.forbidden(locale)] }) : new DriverError(404, { '': [texts.notFound(locale)] });
}

/** Deactivates (no longer offered for transfers, no more alerts) or reactivates a driver. */
export async function setDriverActive(sql: Sql, input: unknown, locale: Locale): Promise<void> {
	const v = parse(z.object({ driverId: z.guid(), active: z.boolean() }), input, locale);
	const { rowCount } = await sql.query(`update public.drivers set active = $2 where id = $1`, [v.driverId, v.active]).catch((err) => refused(err, locale));
	if (!rowCount) throw await absentOrForbidden(sql, v.driverId, locale);
}

function documentSchema(locale: Locale, today: string) {
	return z
		.object({
			driverId: z.guid(),
			// The document being replaced; absent: a new one of its kind.
			documentId: z.guid().optional(),
			kind: z.enum(documentKinds),
			number: optionalText(100),
			expiresOn: z.iso.date().refine((d) => d >= today, { error: () => texts.pastDate(locale) }),
			file: z
				.object({ name: z.string().trim().min(1).max(200), bytes: z.instanceof(Uint8Array) })
				.optional()
				.superRefine((f, ctx) => {
					if (!f) return;
					if (f.bytes.byteLength > MAX_DOCUMENT_BYTES) ctx.addIssue({ code: 'custom', message: texts.fileSize(locale) });
					else if (!documentFileTypeOf(f.bytes)) ctx.addIssue({ code: 'custom', message: texts.fileType(locale) });
				})
		})
		.superRefine((v, ctx) => {
			if (!v.documentId && !v.file) ctx.addIssue({ code: 'custom', path: ['file'], message: texts.fileNeeded(locale) });
		});
}

export interface DocumentChange {
	/** Runs queries as the person, in one transaction (`locals.db`). */
	db: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>;
	store: Storage;
	input: {
		driverId?: string;
		documentId?: string;
		kind?: string;
		number?: string;
		expiresOn?: string;
		file?: UploadedDocument;
	};
	locale: Locale;
}

/**
 * Files a document (or replaces one's number, expiry and file) as the person. A new file is
 * stored first under a fresh key, so the row never names missing bytes; it is removed again if
 * the row is not written, and the file it replaced once the change is committed.
 */
export async function saveDriverDocument({ db, store, input, locale }: DocumentChange): Promise<{ id: string }> {
	const today = await db(parisToday);
	const v = parse(documentSchema(locale, today), input, locale);
	const type = v.file ? documentFileTypeOf(v.file.bytes)! : null;
	const key = type ? `drivers/${v.driverId}/${randomUUID()}.${extensions[type]}` : null;
	if (key && v.file && type) await store.put(key, v.file.bytes, type);
	let saved: { id: string; previous: string | null };
	try {
		saved = await db(async (sql) => {
			const fileName = v.file?.name ?? null;
			const { rows } = v.documentId
				? await sql.query<{ id: string; previous: string | null }>(
						`update public.driver_documents x set number = $4, expires_on = $5,
						        storage_key = coalesce($6, o.storage_key), file_name = coalesce($7, o.file_name),
						        uploaded_by = case when $6::text is null then o.uploaded_by else auth.uid() end
						 from public.driver_documents o
						 where o.id = x.id and x.id = $1 and x.driver_id = $2 and x.kind = $3
						 returning x.id, case when $6::text is null then null else o.storage_key end as previous`,
						[v.documentId, v.driverId, v.kind, v.number, v.expiresOn, key, fileName]
					)
				: await sql.query<{ id: string; previous: null }>(
						`insert into public.driver_documents (organisation_id, driver_id, kind, number, expires_on, storage_key, file_name)
						 select d.organisation_id, d.id, $2, $3, $4, $5, $6 from public.drivers d where d.id = $1
						 returning id, null as previous`,
						[v.driverId, v.kind, v.number, v.expiresOn, key, fileName]
					);
			if (!rows[0]) {
				const { rowCount } = await sql.query(`select 1 from public.drivers where id = $1`, [v.driverId]);
				throw rowCount ? new DriverError(403, { '': [texts.forbidden(locale)] }) : new DriverError(404, { '': [texts.notFound(locale)] });
			}
			return rows[0];
		});
	} catch (err) {
		if (key) await store.delete(key).catch(() => {});
		if (err instanceof DriverError) throw err;
		refused(err, locale);
	}
	if (saved.previous) {
		const previous = saved.previous;
		await store.delete(previous).catch((err: Error) => console.error(`[drivers] could not remove replaced file ${previous}: ${err.message}`));
	}
	return { id: saved.id };
}
