import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { RULE_KINDS, type RuleKind } from '$lib/domain/crm/assignment';
import { holdsRoleAt, type AppRole, type RoleGrant } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { DEFAULT_RESPONSE_MINUTES } from '$lib/server/crm/escalation';
import type { Sql } from '$lib/server/db/pool';
import { validate } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

const MANAGERS: readonly AppRole[] = ['site_manager', 'director', 'admin'];

export interface RuleRow {
	id: string;
	kind: RuleKind;
	position: number;
	enabled: boolean;
	params: { max_km?: number; site_id?: string };
}

/** The organisation's rules are its directors' and admins' (policy "managers set the rules"). */
const orgWide = (roles: RoleGrant[]) =>
	roles.some((r) => r.siteId === null && (r.role === 'director' || r.role === 'admin'));

async function orgRules(sql: Sql): Promise<RuleRow[]> {
	const { rows } = await sql.query<RuleRow>(
		`select id, kind, position, enabled, params from public.lead_rules
		 where site_id is null and organisation_id = (select private.organisation_id())
		 order by position, created_at`
	);
	return rows;
}

/**
 * The organisation's assignment rules (directors and admins edit them, site managers read
 * them) and the current site's web forms (its managers keep them).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user!;
	if (!user.roles.some((r) => MANAGERS.includes(r.role))) error(403, m.crm_as_forbidden());
	const site = user.sites.find((s) => s.id === user.lastSiteId) ?? user.sites[0];
	const canManageForms = !!site && holdsRoleAt(user.roles, site.id, MANAGERS);
	return locals.db(async (sql) => {
		// One after the other: a transaction's client runs one query at a time.
		const rules = await orgRules(sql);
		const siteRules = site
			? (await sql.query<{ kind: RuleKind }>(`select kind from public.lead_rules where site_id = $1 and enabled order by position`, [site.id])).rows.map(
					(x) => x.kind
				)
			: [];
		const dealerships = (
			await sql.query<{ id: string; code: string; name: string }>(`select id, code, name from public.sites where kind = 'dealership' order by code`)
		).rows;
		const settings =
			(
				await sql.query<{ minutes: number | null }>(
					`select (settings ->> 'lead_response_minutes')::int as minutes from public.organisations where id = (select private.organisation_id())`
				)
			).rows[0]?.minutes ?? DEFAULT_RESPONSE_MINUTES;
		const forms = canManageForms
			? (
					await sql.query<{ id: string; title: string; public_key: string; enabled: boolean }>(
						`select id, title, public_key, enabled from public.lead_forms where site_id = $1 order by created_at`,
						[site.id]
					)
				).rows
			: [];
		return {
			rules,
			siteRules,
			dealerships,
			responseMinutes: settings,
			forms,
			site: site ? { id: site.id, code: site.code, name: site.name } : null,
			canEdit: orgWide(user.roles),
			canManageForms,
			origin: url.origin,
			missing: RULE_KINDS.filter((k) => !rules.some((r) => r.kind === k))
		};
	});
};

const text = (form: FormData, name: string) => {
	const v = form.get(name);
	return typeof v === 'string' ? v.trim() : undefined;
};
const ruleId = z.guid();
const denied = () => fail(403, { errors: { '': [m.crm_as_forbidden()] } });

function settingsSchema() {
	const whole = (min: number, max: number, message: () => string) =>
		z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
	return z.object({
		maxKm: z.preprocess((v) => (v === '' ? undefined : v), whole(1, 1000, m.crm_as_err_max_km).optional()),
		fallbackSiteId: z.preprocess((v) => (v === '' ? undefined : v), z.guid({ error: m.crm_as_err_site }).optional()),
		responseMinutes: whole(5, 10080, m.crm_as_err_minutes)
	});
}

const formSchema = () => z.object({ title: z.string().trim().min(1, { error: m.crm_as_err_title }).max(200, { error: m.crm_as_err_title }) });

export const actions: Actions = {
	/** Moves a rule one place up or down; positions are rewritten 0..n in one statement. */
	move: async ({ request, locals }) => {
		if (!orgWide(locals.user!.roles)) return denied();
		const form = await request.formData();
		const id = ruleId.safeParse(text(form, 'id'));
		const direction = text(form, 'direction');
		if (!id.success || (direction !== 'up' && direction !== 'down')) return fail(400, { errors: { '': [m.crm_as_err_rule()] } });
		await locals.db(async (sql) => {
			const ids = (await orgRules(sql)).map((r) => r.id);
			const at = ids.indexOf(id.data);
			const to = direction === 'up' ? at - 1 : at + 1;
			if (at < 0 || to < 0 || to >= ids.length) return;
			[ids[at], ids[to]] = [ids[to], ids[at]];
			await sql.query(
				`update public.lead_rules r set position = o.n - 1 from unnest($1::uuid[]) with ordinality as o (id, n)
				 where r.id = o.id and r.position <> o.n - 1`,
				[ids]
			);
		});
		return { moved: id.data };
	},
	toggle: async ({ request, locals }) => {
		if (!orgWide(locals.user!.roles)) return denied();
		const form = await request.formData();
		const id = ruleId.safeParse(text(form, 'id'));
		if (!id.success) return fail(400, { errors: { '': [m.crm_as_err_rule()] } });
		await locals.db((sql) =>
			sql.query(`update public.lead_rules set enabled = $2 where id = $1 and site_id is null`, [id.data, text(form, 'enabled') === 'true'])
		);
		return { toggled: id.data };
	},
	/** Adds a kind the organisation's list lacks, at the end, enabled. */
	add: async ({ request, locals }) => {
		if (!orgWide(locals.user!.roles)) return denied();
		const kind = z.enum(RULE_KINDS as [RuleKind, ...RuleKind[]]).safeParse(text(await request.formData(), 'kind'));
		if (!kind.success) return fail(400, { errors: { '': [m.crm_as_err_rule()] } });
		await locals.db((sql) =>
			sql.query(
				`insert into public.lead_rules (organisation_id, position, kind)
				 select (select private.organisation_id()), coalesce(max(position) + 1, 0), $1
				 from public.lead_rules where site_id is null and organisation_id = (select private.organisation_id())`,
				[kind.data]
			)
		);
		return { added: kind.data };
	},
	/** The settings of the rules and the response delay, together, in one transaction. */
	settings: async ({ request, locals }) => {
		if (!orgWide(locals.user!.roles)) return denied();
		const form = await request.formData();
		const values = { maxKm: text(form, 'maxKm') ?? '', fallbackSiteId: text(form, 'fallbackSiteId') ?? '', responseMinutes: text(form, 'responseMinutes') ?? '' };
		const parsed = validate(settingsSchema(), values, getLocale());
		if (!parsed.ok) return fail(400, { settingsErrors: parsed.errors, values });
		const { maxKm, fallbackSiteId, responseMinutes } = parsed.data;
		const saved = await locals.db(async (sql) => {
			if (fallbackSiteId) {
				const { rowCount } = await sql.query(`select 1 from public.sites where id = $1 and kind = 'dealership'`, [fallbackSiteId]);
				if (!rowCount) return false;
			}
			await sql.query(
				`update public.lead_rules set params = case when $1::int is null then params - 'max_km' else params || jsonb_build_object('max_km', $1::int) end
				 where kind = 'nearest_site' and site_id is null and organisation_id = (select private.organisation_id())`,
				[maxKm ?? null]
			);
			await sql.query(
				`update public.lead_rules set params = case when $1::uuid is null then params - 'site_id' else params || jsonb_build_object('site_id', $1::uuid) end
				 where kind = 'fallback' and site_id is null and organisation_id = (select private.organisation_id())`,
				[fallbackSiteId ?? null]
			);
			await sql.query(`select public.set_lead_response_minutes($1)`, [responseMinutes]);
			return true;
		});
		if (!saved) return fail(400, { settingsErrors: { fallbackSiteId: [m.crm_as_err_site()] }, values });
		return { saved: true };
	},
	createForm: async ({ request, locals }) => {
		const user = locals.user!;
		const site = user.sites.find((s) => s.id === user.lastSiteId) ?? user.sites[0];
		if (!site || !holdsRoleAt(user.roles, site.id, MANAGERS)) return denied();
		const values = { title: text(await request.formData(), 'title') ?? '' };
		const parsed = validate(formSchema(), values, getLocale());
		if (!parsed.ok) return fail(400, { formErrors: parsed.errors, values });
		await locals.db((sql) =>
			sql.query(`insert into public.lead_forms (organisation_id, site_id, title) values ((select private.organisation_id()), $1, $2)`, [
				site.id,
				parsed.data.title
			])
		);
		return { formCreated: true };
	},
	toggleForm: async ({ request, locals }) => {
		const form = await request.formData();
		const id = ruleId.safeParse(text(form, 'id'));
		if (!id.success) return fail(400, { errors: { '': [m.crm_as_err_rule()] } });
		// RLS ("managers keep their sites' forms") decides: nothing changes elsewhere.
		const { rowCount } = await locals.db((sql) =>
			sql.query(`update public.lead_forms set enabled = $2 where id = $1`, [id.data, text(form, 'enabled') === 'true'])
		);
		if (!rowCount) return denied();
		return { formToggled: id.data };
	}
};
