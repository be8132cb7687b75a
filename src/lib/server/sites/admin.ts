import { z } from 'zod';
import type { Sql } from '../db/pool';
import type { AppRole, RoleGrant } from '$lib/domain/roles';
import type { FieldErrors } from '$lib/validation';
import { siteCounts, type SiteCounts } from './clone';

/** The sites screen is the organisation's directors' and admins'. */
export const opensSites = (roles: RoleGrant[]) => roles.some((r) => r.siteId === null && (r.role === 'director' || r.role === 'admin'));
/** Granting roles is the admins' (policy "managers grant site roles, admins any"). */
export const grantsRoles = (roles: RoleGrant[]) => roles.some((r) => r.siteId === null && r.role === 'admin');

export interface SiteRow {
	id: string;
	code: string;
	name: string;
	kind: 'hub' | 'dealership';
	city: string;
	latitude: number;
	longitude: number;
	timezone: string;
	counts: SiteCounts;
}

/** The organisation's sites, with what each holds of the configuration a clone copies. */
export async function listSites(sql: Sql): Promise<SiteRow[]> {
	const { rows } = await sql.query(
		`select id, code, name, kind, city, latitude, longitude, timezone
		 from public.sites where organisation_id = private.organisation_id() order by kind, code`
	);
	const counts = await siteCounts(
		sql,
		rows.map((r) => r.id)
	);
	return rows.map((r) => ({ ...r, counts: counts.get(r.id)! }));
}

export interface SiteDetail {
	id: string;
	code: string;
	name: string;
	kind: 'hub' | 'dealership';
	legalName: string;
	siret: string;
	vatNumber: string;
	shareCapitalCents: number;
	addressLine: string;
	postcode: string;
	city: string;
	latitude: number;
	longitude: number;
	timezone: string;
	capacity: number;
	createdAt: string;
	/** What the audit trail says of the clone that opened the site, if one did. */
	clonedFrom: { code: string; parts: string[] } | null;
}

export interface Access {
	userId: string;
	fullName: string;
	email: string;
	role: AppRole;
	/** Organisation-wide roles reach every site. */
	orgWide: boolean;
}

export async function siteDetail(sql: Sql, id: string): Promise<{ site: SiteDetail; access: Access[]; counts: SiteCounts } | null> {
	const { rows } = await sql.query(
		`select s.id, s.code, s.name, s.kind, s.legal_name as "legalName", s.siret, s.vat_number as "vatNumber",
		        s.share_capital_cents::int as "shareCapitalCents", s.address_line as "addressLine", s.postcode, s.city,
		        s.latitude, s.longitude, s.timezone, s.capacity, s.created_at as "createdAt",
		        (select json_build_object('code', a.new_row ->> 'cloned_from_code', 'parts', a.new_row -> 'parts')
		         from public.audit_log a where a.table_name = 'sites' and a.row_id = s.id and a.op = 'insert' and a.new_row ? 'cloned_from'
		         order by a.occurred_at limit 1) as "clonedFrom"
		 from public.sites s where s.id = $1 and s.organisation_id = private.organisation_id()`,
		[id]
	);
	if (!rows[0]) return null;
	const access = await sql.query<Access>(
		`select m.user_id as "userId", p.full_name as "fullName", p.email, m.role, m.site_id is null as "orgWide"
		 from public.memberships m join public.profiles p on p.id = m.user_id
		 where m.site_id = $1 or (m.site_id is null and m.organisation_id = private.organisation_id())
		 order by m.site_id is null, p.full_name, m.role`,
		[id]
	);
	const counts = await siteCounts(sql, [id]);
	return { site: { ...rows[0], createdAt: new Date(rows[0].createdAt).toISOString() }, access: access.rows, counts: counts.get(id)! };
}

/** People of the organisation an admin may give a role (clients have no staff role). */
export async function organisationPeople(sql: Sql): Promise<{ id: string; fullName: string; email: string }[]> {
	const { rows } = await sql.query(
		`select p.id, p.full_name as "fullName", p.email from public.profiles p
		 where p.organisation_id = private.organisation_id()
		   and not exists (select 1 from public.client_members cm where cm.user_id = p.id)
		 order by p.full_name`
	);
	return rows;
}

/** Site roles an admin grants here; organisation-wide roles are not given per site. */
export const SITE_ROLES = ['operator', 'team_lead', 'csm', 'sales', 'site_manager', 'driver'] as const;
export const grantSchema = z.object({ userId: z.guid(), role: z.enum(SITE_ROLES) });

type Locale = 'fr' | 'en';
const texts = {
	already: (l: Locale) => (l === 'fr' ? 'Cette personne a déjà ce rôle sur ce site.' : 'This person already holds this role at this site.'),
	forbidden: (l: Locale) => (l === 'fr' ? 'Seul un administrateur donne des rôles ici.' : 'Only an admin grants roles here.')
};

/** Gives a person a role at a site, as the signed-in admin (the policy decides). */
export async function grantRole(
	sql: Sql,
	input: { siteId: string; userId: string; role: (typeof SITE_ROLES)[number] },
	locale: Locale
): Promise<{ ok: true } | { ok: false; status: 403 | 409; errors: FieldErrors }> {
	await sql.query('savepoint grant_role');
	try {
		await sql.query(
			`insert into public.memberships (organisation_id, user_id, site_id, role) values (private.organisation_id(), $1, $2, $3)`,
			[input.userId, input.siteId, input.role]
		);
		await sql.query('release savepoint grant_role');
		return { ok: true };
	} catch (err) {
		await sql.query('rollback to savepoint grant_role');
		const code = (err as { code?: string }).code;
		if (code === '23505') return { ok: false, status: 409, errors: { role: [texts.already(locale)] } };
		if (code === '42501') return { ok: false, status: 403, errors: { '': [texts.forbidden(locale)] } };
		throw err;
	}
}
