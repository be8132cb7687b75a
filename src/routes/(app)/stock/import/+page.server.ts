import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { appPool } from '$lib/server/db';
import { importDetail, importSites, recentImports } from '$lib/server/stock/imports';
import { startStockImport } from '$lib/server/stock/import-stock';
import { decodeCsvBytes } from '$lib/server/stock/stock-csv';
import { validate } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

const MAX_FILE_BYTES = 5 * 1024 * 1024;

export const load: PageServerLoad = async ({ locals, depends, url }) => {
	// The job's progress arrives as changes of its row, pushed to the importer.
	depends('live:stock_imports');
	const job = z.guid().safeParse(url.searchParams.get('job'));
	const data = await locals.db(async (sql) => ({
		sites: await importSites(sql),
		recent: await recentImports(sql),
		job: job.success ? await importDetail(sql, job.data) : null
	}));
	if (data.sites.length === 0) throw error(403, m.stock_import_forbidden());
	return data;
};

const fileMessages = {
	empty: m.stock_import_file_empty,
	no_header: m.stock_import_file_no_header,
	too_many_rows: m.stock_import_file_too_many_rows,
	forbidden: m.stock_import_forbidden
} as const;

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = await request.formData();
		const schema = z.object({
			site: z.guid(m.stock_import_site_required()),
			file: z
				.instanceof(File, { message: m.stock_import_file_required() })
				.refine((f) => f.size > 0, m.stock_import_file_required())
				.refine((f) => f.size <= MAX_FILE_BYTES, m.stock_import_file_too_big())
		});
		const checked = validate(schema, { site: form.get('site'), file: form.get('file') }, getLocale());
		const values = { site: String(form.get('site') ?? '') };
		if (!checked.ok) return fail(400, { values, errors: checked.errors });
		const { site, file } = checked.data;
		const text = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
		const started = await startStockImport(await appPool(), locals.claims!, { siteId: site, fileName: file.name.slice(0, 200) || 'import.csv', text });
		if (!started.ok) return fail(started.error === 'forbidden' ? 403 : 400, { values, errors: { [started.error === 'forbidden' ? 'site' : 'file']: [fileMessages[started.error]()] } });
		// The import goes on after this response; its page follows it live.
		started.finished.catch((err: Error) => console.error(`[stock] import ${started.id}: ${err.message}`));
		throw redirect(303, `/stock/import?job=${started.id}`);
	}
};
