import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { crmSites, type AppRole } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { appPool } from '$lib/server/db';
import { enterLead } from '$lib/server/crm/lead-entry';
import { assignByRules, assignTargets, listLeads, markContacted, reassignLead, type LeadActionResult, type LeadView } from '$lib/server/crm/leads';
import { validate } from '$lib/validation';
import { parseLeadQuery } from './filters';
import type { Actions, PageServerLoad } from './$types';

/** Who works leads at a site (private.crm_site_ids). */
const MANAGERS: readonly AppRole[] = ['site_manager', 'director', 'admin'];

export const load: PageServerLoad = async ({ locals, depends, url }) => {
	// A lead arriving, assigned, answered or moved, and a customer renamed, refresh the list.
	depends('live:leads', 'live:customers');
	const user = locals.user!;
	const sellingSites = crmSites(user.roles, user.sites);
	if (sellingSites.length === 0) throw error(403, m.crm_ld_forbidden());
	const current = sellingSites.find((s) => s.id === user.lastSiteId) ?? sellingSites[0];
	const orgWide = user.roles.some((r) => r.siteId === null && (r.role === 'director' || r.role === 'admin'));
	const managers = user.roles.some((r) => MANAGERS.includes(r.role));
	const sells = user.roles.some((r) => r.role === 'sales');
	const query = parseLeadQuery(url.searchParams);
	// Sales people open on their own leads, site managers on their site's, the organisation's roles on everything.
	const view: LeadView = query.view ?? (sells ? 'mine' : orgWide ? 'all' : 'site');
	const data = await locals.db(async (sql) => ({
		list: await listLeads(sql, {
			view,
			currentSiteId: current.id,
			siteId: orgWide || query.site !== 'unassigned' ? query.site : undefined,
			stage: query.stage,
			source: query.source,
			unanswered: query.unanswered,
			escalated: query.escalated,
			highlight: query.lead
		}),
		targets: managers ? await assignTargets(sql) : []
	}));
	return {
		...data,
		query,
		view,
		me: user.id,
		site: { id: current.id, code: current.code, name: current.name },
		sites: orgWide ? sellingSites.filter((s) => s.kind === 'dealership').map((s) => ({ id: s.id, code: s.code })) : [],
		orgWide,
		managers
	};
};

const leadId = z.object({ leadId: z.guid() });
const statusMessage = (status: 403 | 404 | 409) =>
	status === 404 ? m.crm_ld_not_found() : status === 409 ? m.crm_ld_conflict() : m.crm_ld_action_forbidden();
const refused = (id: string | undefined, r: Exclude<LeadActionResult, { ok: true }>) =>
	fail(r.status, { leadId: id ?? null, errors: { '': [statusMessage(r.status)] } as Record<string, string[]> });

const text = (max: number) =>
	z.preprocess((v) => (typeof v === 'string' ? v.trim() || undefined : undefined), z.string().max(max).optional());

/** A lead typed in: an existing customer or a new one (at least an email or a phone), and what they want. */
function entrySchema() {
	return z
		.object({
			customerId: z.preprocess((v) => v || undefined, z.guid().optional()),
			firstName: text(100),
			lastName: text(100),
			email: text(254).pipe(z.email({ error: () => m.crm_ld_form_email_invalid() }).optional()),
			phone: text(40).refine((v) => v === undefined || (/^\+?[0-9 .\-()]+$/.test(v) && v.replace(/\D/g, '').length >= 9), {
				error: () => m.crm_ld_form_phone_invalid()
			}),
			postcode: text(5).refine((v) => v === undefined || /^[0-9]{5}$/.test(v), { error: () => m.crm_ld_form_postcode_invalid() }),
			vehicleId: z.preprocess((v) => v || undefined, z.guid().optional()),
			message: text(4000),
			kind: z.enum(['call', 'visit', 'email']),
			keep: z.preprocess((v) => v === 'on', z.boolean()),
			siteId: z.guid()
		})
		.superRefine(
			(v, ctx) => {
				if (v.customerId) return;
				if (!v.lastName) ctx.addIssue({ code: 'custom', path: ['lastName'], message: m.crm_ld_form_last_name_required() });
				if (!v.email && !v.phone) ctx.addIssue({ code: 'custom', path: ['phone'], message: m.crm_ld_form_contact_required() });
			},
			// Also when another field is wrong: every problem shows at once.
			{ when: () => true }
		);
}

export const actions: Actions = {
	contacted: async ({ locals, request }) => {
		const checked = validate(leadId, Object.fromEntries(await request.formData()), getLocale());
		if (!checked.ok) return fail(400, { leadId: null, errors: checked.errors });
		const result = await locals.db((sql) => markContacted(sql, checked.data.leadId));
		return result.ok ? { leadId: checked.data.leadId, done: 'contacted' } : refused(checked.data.leadId, result);
	},

	reassign: async ({ locals, request }) => {
		const schema = leadId.extend({
			siteId: z.guid({ error: () => m.crm_ld_reassign_site_required() }),
			userId: z.guid({ error: () => m.crm_ld_reassign_person_required() })
		});
		const checked = validate(schema, Object.fromEntries(await request.formData()), getLocale());
		if (!checked.ok) return fail(400, { leadId: null, errors: checked.errors });
		const { leadId: id, siteId, userId } = checked.data;
		const result = await locals.db((sql) => reassignLead(sql, id, siteId, userId));
		return result.ok ? { leadId: id, done: 'reassigned' } : refused(id, result);
	},

	assign: async ({ locals, request }) => {
		const checked = validate(leadId, Object.fromEntries(await request.formData()), getLocale());
		if (!checked.ok) return fail(400, { leadId: null, errors: checked.errors });
		const pool = await appPool();
		const result = await locals.db((sql) => assignByRules(pool, sql, checked.data.leadId));
		if ('ok' in result && !result.ok) return refused(checked.data.leadId, result);
		return { leadId: checked.data.leadId, done: 'assigned' };
	},

	enter: async ({ locals, request }) => {
		const form = Object.fromEntries(await request.formData());
		const values = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
		const checked = validate(entrySchema(), form, getLocale());
		if (!checked.ok) return fail(400, { entry: true, values, errors: checked.errors });
		const v = checked.data;
		try {
			const { leadId: id } = await enterLead(await appPool(), locals.db, {
				customerId: v.customerId,
				customer: v.customerId ? undefined : { firstName: v.firstName, lastName: v.lastName!, email: v.email, phone: v.phone, postcode: v.postcode },
				vehicleId: v.vehicleId,
				message: v.message,
				siteId: v.siteId,
				keep: v.keep,
				kind: v.kind
			});
			return { leadId: id, done: 'entered' };
		} catch (err) {
			// Row-level security refused the write (a site that is not the person's): nothing was written.
			if ((err as { code?: string }).code === '42501') return fail(403, { entry: true, values, errors: { '': [m.crm_ld_action_forbidden()] } });
			throw err;
		}
	}
};
