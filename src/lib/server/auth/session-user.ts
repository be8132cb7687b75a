import { primaryRole, type AppRole, type RoleGrant } from '../../domain/roles';
import type { Sql } from '../db/pool';

export interface SiteSummary {
	id: string;
	code: string;
	name: string;
	kind: 'hub' | 'dealership';
}

export interface SessionUser {
	id: string;
	email: string;
	fullName: string;
	locale: 'fr' | 'en';
	organisationId: string;
	organisationName: string;
	/** Roles held, per site (null = organisation-wide). */
	roles: RoleGrant[];
	primaryRole: AppRole;
	/** Sites the person may switch to (staff sites; for clients, none). */
	sites: SiteSummary[];
	clientAccounts: { id: string; name: string }[];
	lastSiteId: string | null;
	/** The change log's head when the request began: where this page's live connection catches up from. */
	liveCursor: number;
}

/** Loads who is signed in, as that person: what RLS lets them read is what they get. */
export async function loadSessionUser(sql: Sql): Promise<SessionUser | null> {
	const { rows } = await sql.query(`
		select p.id, p.email, p.full_name, p.locale, p.organisation_id, o.name as organisation_name, p.last_site_id,
		  private.change_log_head() as live_cursor,
		  coalesce((select json_agg(json_build_object('siteId', m.site_id, 'role', m.role))
		            from public.memberships m where m.user_id = p.id), '[]') as roles,
		  coalesce((select json_agg(json_build_object('id', s.id, 'code', s.code, 'name', s.name, 'kind', s.kind) order by s.kind, s.name)
		            from public.sites s where s.id in (select private.staff_site_ids())), '[]') as sites,
		  coalesce((select json_agg(json_build_object('id', ca.id, 'name', ca.name) order by ca.name)
		            from public.client_accounts ca where ca.id in (select private.client_account_ids())), '[]') as client_accounts
		from public.profiles p
		join public.organisations o on o.id = p.organisation_id
		where p.id = auth.uid()`);
	const r = rows[0];
	if (!r) return null;
	return {
		id: r.id,
		email: r.email,
		fullName: r.full_name,
		locale: r.locale,
		organisationId: r.organisation_id,
		organisationName: r.organisation_name,
		roles: r.roles,
		primaryRole: primaryRole(r.roles),
		sites: r.sites,
		clientAccounts: r.client_accounts,
		lastSiteId: r.last_site_id,
		liveCursor: r.live_cursor
	};
}
