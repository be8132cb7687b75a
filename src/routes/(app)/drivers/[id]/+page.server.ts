import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { storage } from '$lib/server/storage';
import { DriverError, driverDetail, parisToday, saveDriver, saveDriverDocument, setDriverActive, unlinkedDriverLogins } from '$lib/server/transfers/drivers';
import { drives, keepsDrivers, text } from '../access.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends('live:drivers');
	const user = locals.user!;
	const manages = keepsDrivers(user);
	if (!manages && !drives(user)) error(403, m.drivers_forbidden());
	return locals.db(async (sql) => {
		// Row-level security shows a driver their own record only: another one is not found.
		const driver = await driverDetail(sql, params.id);
		if (!driver) error(404, m.drivers_not_found());
		return {
			driver,
			today: await parisToday(sql),
			editable: manages,
			logins: manages ? await unlinkedDriverLogins(sql, driver.id) : []
		};
	});
};

/** A refusal answers the form it came from, with its errors per field and what was typed. */
function refused(err: unknown, form: string, values: Record<string, unknown>) {
	if (!(err instanceof DriverError)) throw err;
	return fail(err.status, { form, errors: err.errors, values });
}

export const actions: Actions = {
	update: async ({ locals, request, params }) => {
		const form = await request.formData();
		const values = {
			driverId: params.id,
			kind: text(form, 'kind'),
			fullName: text(form, 'fullName'),
			partnerCompany: text(form, 'partnerCompany'),
			phone: text(form, 'phone'),
			profileId: text(form, 'profileId')
		};
		try {
			await locals.db((sql) => saveDriver(sql, values, getLocale()));
			return { form: 'update', done: true };
		} catch (err) {
			return refused(err, 'update', values);
		}
	},
	active: async ({ locals, request, params }) => {
		const form = await request.formData();
		try {
			await locals.db((sql) => setDriverActive(sql, { driverId: params.id, active: text(form, 'active') === 'true' }, getLocale()));
			return { form: 'active', done: true };
		} catch (err) {
			return refused(err, 'active', {});
		}
	},
	document: async ({ locals, request, params }) => {
		const form = await request.formData();
		const file = form.get('file');
		const values = { kind: text(form, 'kind'), number: text(form, 'number'), expiresOn: text(form, 'expiresOn') };
		try {
			await saveDriverDocument({
				db: locals.db,
				store: storage(),
				input: {
					...values,
					driverId: params.id,
					documentId: text(form, 'documentId'),
					file: file instanceof File && file.size > 0 ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined
				},
				locale: getLocale()
			});
			return { form: 'document', kind: values.kind, done: true };
		} catch (err) {
			if (!(err instanceof DriverError)) throw err;
			return fail(err.status, { form: 'document', kind: values.kind, errors: err.errors, values });
		}
	}
};
