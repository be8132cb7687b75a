import { z } from 'zod';
import type { AppRole } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { auditedTables, searchAudit, type AuditFilter } from '$lib/server/audit';
import type { FieldErrors } from '$lib/validation';
import { listPeople } from './people.server';
import type { PageServerLoad } from './$types';

/** The roles the audit log's policy lets read; anybody else sees an empty page, not a refusal. */
const READERS: readonly AppRole[] = ['csm', 'site_manager', 'director', 'admin'];

/** Shown at most; a search that finds more says so and asks to be narrowed. */
const AUDIT_PAGE_SIZE = 200;

// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
const filterFields = {
	table: z.enum(auditedTables),
	person: z.guid(),
	site: z.guid(),
	from: z.iso.date(),
	to: z.iso.date(),
	q: z.string().max(100),
	id: z.guid()
};
type FilterName = keyof typeof filterFields;
type AuditSearch = Partial<{ [K in FilterName]: z.output<(typeof filterFields)[K]> }>;

/**
 * The search as typed in the URL: each filter that parses is applied; one that does not is kept
 * in its box with a message and ignored, so a typo never hides the rest of the search.
 */
function readSearch(params: URLSearchParams): { search: AuditSearch; typed: Record<string, string>; errors: FieldErrors } {
	const search: Record<string, unknown> = {};
	const typed: Record<string, string> = {};
	const errors: FieldErrors = {};
	for (const name of Object.keys(filterFields) as FilterName[]) {
		const value = params.get(name)?.trim() ?? '';
		typed[name] = value;
		if (!value) continue;
		const parsed = filterFields[name].safeParse(value);
		if (parsed.success) search[name] = parsed.data;
		else errors[name] = [m.audit_filter_invalid()];
	}
	if (search.from && search.to && String(search.to) < String(search.from)) {
		errors.to = [m.audit_filter_range()];
		delete search.to;
	}
	return { search: search as AuditSearch, typed, errors };
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user!;
	const { search, typed, errors } = readSearch(url.searchParams);
	const sites = user.sites.map(({ id, code, name }) => ({ id, code, name }));
	const base = { typed, errors, sites, tables: auditedTables, limit: AUDIT_PAGE_SIZE };
	if (!user.roles.some((r) => READERS.includes(r.role))) return { ...base, people: [], entries: [], capped: false };

	const filter: AuditFilter = {
		tableName: search.table,
		actorId: search.person,
		siteId: search.site,
		from: search.from,
		to: search.to,
		text: search.q,
		rowId: search.id
	};
	const { people, entries } = await locals.db(async (sql) => ({
		people: await listPeople(sql),
		entries: await searchAudit(sql, filter, AUDIT_PAGE_SIZE + 1)
	}));
	return { ...base, people, entries: entries.slice(0, AUDIT_PAGE_SIZE), capped: entries.length > AUDIT_PAGE_SIZE };
};
