import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { crmSites, type AppRole } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { appPool } from '$lib/server/db';
import { importLeads } from '$lib/server/crm/import-leads';
import { decodeCsvBytes } from '$lib/server/stock/stock-csv';
import { validate } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

const MANAGERS: readonly AppRole[] = ['site_manager', 'director', 'admin'];
const MAX_FILE_BYTES = 2 * 1024 * 1024;

function currentCrmSite(locals: App.Locals) {
	const user = locals.user!;
	const sellingSites = crmSites(user.roles, user.sites);
	if (sellingSites.length === 0) throw error(403, m.crm_ld_forbidden());
	return sellingSites.find((s) => s.id === user.lastSiteId) ?? sellingSites[0];
}

export const load: PageServerLoad = ({ locals }) => {
	const site = currentCrmSite(locals);
	return { site: { id: site.id, code: site.code, name: site.name }, managers: locals.user!.roles.some((r) => MANAGERS.includes(r.role)) };
};

const fileMessages = {
	empty: m.crm_ld_import_file_empty,
	no_header: m.crm_ld_import_file_no_header,
	too_many_rows: m.crm_ld_import_file_too_many_rows,
	forbidden: m.crm_ld_forbidden
} as const;

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const site = currentCrmSite(locals);
		const form = await request.formData();
		const schema = z.object({
			file: z
				.instanceof(File, { message: m.crm_ld_import_file_required() })
				.refine((f) => f.size > 0, m.crm_ld_import_file_required())
				.refine((f) => f.size <= MAX_FILE_BYTES, m.crm_ld_import_file_too_big())
		});
		const checked = validate(schema, { file: form.get('file') }, getLocale());
		if (!checked.ok) return fail(400, { errors: checked.errors, rowErrors: [] });
		const text = decodeCsvBytes(new Uint8Array(await checked.data.file.arrayBuffer()));
		const result = await importLeads(await appPool(), locals.claims!, { text, siteId: site.id });
		if (result.ok) return { summary: result.summary, fileName: checked.data.file.name.slice(0, 200) };
		if ('errors' in result) return fail(400, { errors: {}, rowErrors: result.errors });
		return fail(result.error === 'forbidden' ? 403 : 400, { errors: { file: [fileMessages[result.error]()] }, rowErrors: [] });
	}
};
