import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { crmSites } from '$lib/domain/roles';
import { getLocale } from '$lib/paraglide/runtime';
import type { SessionUser } from '$lib/server/auth/session-user';
import { CrmError } from '$lib/server/crm/pipeline';
import { createQuote, searchQuoteVehicles } from '$lib/server/crm/quotes';
import type { Actions, PageServerLoad } from './$types';


/** The selling site: the person's current site when they sell there, else their first CRM site. */
function sellingSite(user: SessionUser) {
	const sellingSites = crmSites(user.roles, user.sites);
	return sellingSites.find((s) => s.id === user.lastSiteId) ?? sellingSites[0] ?? null;
}

const id = z.guid();

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user!;
	const site = sellingSite(user);
	if (!site) error(403);
	const leadId = id.safeParse(url.searchParams.get('lead')).data ?? null;
	const customerId = id.safeParse(url.searchParams.get('customer')).data ?? null;
	if (!leadId && !customerId) error(404);
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 60);
	return locals.db(async (sql) => {
		const { rows } = await sql.query<{ customerId: string; customer: string; vehicleId: string | null; valueCents: number }>(
			leadId
				? `select c.id as "customerId", concat_ws(' ', c.first_name, c.last_name) as customer, l.requested_vehicle_id as "vehicleId",
				          l.value_cents::float8 as "valueCents"
				   from public.leads l join public.customers c on c.id = l.customer_id where l.id = $1`
				: `select c.id as "customerId", concat_ws(' ', c.first_name, c.last_name) as customer, null as "vehicleId", 0 as "valueCents"
				   from public.customers c where c.id = $1`,
			[leadId ?? customerId]
		);
		if (!rows[0]) error(404);
		return {
			leadId,
			customerId: rows[0].customerId,
			customer: rows[0].customer,
			requestedVehicleId: rows[0].vehicleId,
			site: { id: site.id, code: site.code, name: site.name },
			q,
			vehicles: await searchQuoteVehicles(sql, q)
		};
	});
};

const field = (form: FormData, name: string): string | undefined => {
	const v = form.get(name);
	return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/** Euros as typed ("18 500,50") to cents; anything else stays as typed for the schema to refuse. */
function cents(euros: string | undefined): number | string | undefined {
	if (euros === undefined) return undefined;
	const n = Number(euros.replace(/\s/g, '').replace(',', '.'));
	return Number.isFinite(n) ? Math.round(n * 100) : euros;
}

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const user = locals.user!;
		const site = sellingSite(user);
		if (!site) error(403);
		const form = await request.formData();
		const values = {
			leadId: field(form, 'leadId'),
			customerId: field(form, 'customerId'),
			vehicleId: field(form, 'vehicleId'),
			price: field(form, 'price'),
			validUntil: field(form, 'validUntil')
		};
		let created: { id: string };
		try {
			created = await locals.db((sql) =>
				createQuote(
					sql,
					{ leadId: values.leadId, customerId: values.leadId ? undefined : values.customerId, vehicleId: values.vehicleId, priceCents: cents(values.price), validUntil: values.validUntil },
					site.id,
					getLocale()
				)
			);
		} catch (err) {
			if (!(err instanceof CrmError)) throw err;
			const errors = { ...err.errors };
			if (errors.priceCents) errors.price = errors.priceCents;
			return fail(err.status, { errors, values });
		}
		redirect(303, `/crm/quotes/${created.id}`);
	}
};
