import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { DriverError, driverFilterSchema, listDrivers, ownDriverId, saveDriver, unlinkedDriverLogins } from '$lib/server/transfers/drivers';
import { drives, keepsDrivers, text } from './access.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	depends('live:drivers');
	const user = locals.user!;
	if (!keepsDrivers(user)) {
		// A driver has one record to look at: their own.
		const own = drives(user) ? await locals.db(ownDriverId) : null;
		if (own) redirect(303, `/drivers/${own}`);
		error(403, m.drivers_forbidden());
	}
	const filter = driverFilterSchema.parse(Object.fromEntries(url.searchParams));
	return locals.db(async (sql) => ({ filter, ...(await listDrivers(sql, filter)), logins: await unlinkedDriverLogins(sql) }));
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		const form = await request.formData();
		const values = {
			kind: text(form, 'kind'),
			fullName: text(form, 'fullName'),
			partnerCompany: text(form, 'partnerCompany'),
			phone: text(form, 'phone'),
			profileId: text(form, 'profileId')
		};
		let id: string;
		try {
			({ id } = await locals.db((sql) => saveDriver(sql, values, getLocale())));
		} catch (err) {
			if (!(err instanceof DriverError)) throw err;
			return fail(err.status, { errors: err.errors, values });
		}
		redirect(303, `/drivers/${id}`);
	}
};
