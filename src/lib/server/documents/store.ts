import type { Sql } from '$lib/server/db/pool';
import type { Storage } from '$lib/server/storage';
import type { DocumentKind, Issuer, Locale, TemplateTexts } from './model';

/**
 * Generated documents: the PDF bytes go to storage under a key the server chooses, the row in
 * `documents` says what it is, about what, and for which client account. Downloads read the
 * row as the person first (RLS), so a document is never served to someone who may not see it.
 */

export interface StoredDocument {
	id: string;
	kind: DocumentKind;
	title: string;
	locale: Locale;
	byteSize: number;
	createdAt: string;
}

export interface NewDocument {
	organisationId: string;
	siteId: string;
	clientAccountId: string | null;
	kind: DocumentKind;
	subjectType: 'invoice' | 'order' | 'vehicle' | 'inspection' | 'transfer' | 'movement';
	subjectId: string;
	title: string;
	locale: Locale;
	bytes: Uint8Array;
}

export async function storeDocument(sql: Sql, store: Storage, doc: NewDocument): Promise<string> {
	const key = `documents/${doc.siteId}/${doc.kind}/${crypto.randomUUID()}.pdf`;
	await store.put(key, doc.bytes, 'application/pdf');
	const { rows } = await sql.query<{ id: string }>(
		`insert into public.documents (organisation_id, site_id, client_account_id, kind, subject_type, subject_id, title, locale, storage_key, byte_size)
		 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
		[doc.organisationId, doc.siteId, doc.clientAccountId, doc.kind, doc.subjectType, doc.subjectId, doc.title, doc.locale, key, doc.bytes.byteLength]
	);
	return rows[0].id;
}

/** The document's storage key and title, if the person may read its row. */
export async function readableDocument(sql: Sql, id: string): Promise<{ key: string; title: string } | null> {
	const { rows } = await sql.query<{ key: string; title: string }>(`select storage_key as key, title from public.documents where id = $1`, [id]);
	return rows[0] ?? null;
}

export async function documentsOf(sql: Sql, subjectType: NewDocument['subjectType'], subjectId: string): Promise<StoredDocument[]> {
	const { rows } = await sql.query<StoredDocument>(
		`select id, kind, title, locale, byte_size as "byteSize", created_at::text as "createdAt"
		 from public.documents where subject_type = $1 and subject_id = $2 order by created_at desc`,
		[subjectType, subjectId]
	);
	return rows;
}

/** The site as it prints on its documents: legal details and logo. */
export async function issuerOf(sql: Sql, store: Storage, siteId: string): Promise<Issuer | null> {
	const { rows } = await sql.query<Omit<Issuer, 'logo'> & { logoKey: string | null }>(
		`select name, legal_name as "legalName", siret, vat_number as "vatNumber", share_capital_cents as "shareCapitalCents",
		        address_line as "addressLine", postcode, city, logo_key as "logoKey"
		 from public.sites where id = $1`,
		[siteId]
	);
	if (!rows[0]) return null;
	const { logoKey, ...issuer } = rows[0];
	return { ...issuer, logo: logoKey ? await store.get(logoKey) : null };
}

/** The site's own wording for a template, as set by its managers ({} when none). */
export async function templateTexts(sql: Sql, siteId: string, kind: DocumentKind, locale: Locale): Promise<TemplateTexts> {
	const { rows } = await sql.query<{ texts: TemplateTexts }>(
		`select texts from public.document_templates where site_id = $1 and kind = $2 and locale = $3`,
		[siteId, kind, locale]
	);
	return rows[0]?.texts ?? {};
}
