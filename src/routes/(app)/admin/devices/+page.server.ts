import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { kpiPanels } from '$lib/domain/kpi/panels';
import type { RoleGrant } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { createDevice, listDevices, revokeDevice } from '$lib/server/kpi/devices';
import { validate } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

const isOrgAdmin = (roles: RoleGrant[]) => roles.some((r) => r.role === 'admin' && r.siteId === null);

const newDevice = z.object({
	name: z.string().trim().min(1).max(80),
	siteId: z.union([z.literal('').transform(() => null), z.guid()]),
	panels: z.array(z.enum(kpiPanels)).min(1),
	rotateSeconds: z.coerce.number().int().min(5).max(600),
	showsMoney: z.boolean()
});

/** Wall devices of the organisation: its admins create and revoke them, as the policies say. */
export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	if (!isOrgAdmin(user.roles)) error(403, m.kpi_devices_forbidden());
	return {
		devices: await locals.db(listDevices),
		sites: user.sites.map(({ id, code, name }) => ({ id, code, name }))
	};
};

export const actions: Actions = {
	create: async ({ request, locals, url }) => {
		if (!isOrgAdmin(locals.user!.roles)) return fail(403, { errors: { '': [m.kpi_devices_forbidden()] } });
		const form = await request.formData();
		const input = {
			name: form.get('name') ?? '',
			siteId: form.get('siteId') ?? '',
			panels: form.getAll('panels'),
			rotateSeconds: form.get('rotateSeconds') ?? '',
			showsMoney: form.get('showsMoney') === 'on'
		};
		const parsed = validate(newDevice, input, getLocale());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: { ...input, showsMoney: input.showsMoney } });
		const { token } = await locals.db((sql) => createDevice(sql, parsed.data));
		// Shown once: only its hash is stored.
		return { created: { name: parsed.data.name, url: `${url.origin}/wall?token=${token}` } };
	},
	revoke: async ({ request, locals }) => {
		const id = z.guid().safeParse((await request.formData()).get('id'));
		if (!id.success) return fail(400, { errors: { id: [m.kpi_devices_unknown()] } });
		const revoked = await locals.db((sql) => revokeDevice(sql, id.data));
		if (!revoked) return fail(404, { errors: { id: [m.kpi_devices_unknown()] } });
		return { revoked: id.data };
	}
};
