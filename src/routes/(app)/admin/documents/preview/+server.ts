import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { managedSites, previewDocument, templateKeySchema, textsSchema } from '$lib/server/documents/templates-admin';
import { storage } from '$lib/server/storage';
import { validate } from '$lib/validation';
import type { RequestHandler } from './$types';
import { fileResponse } from '$lib/server/file-response';

/**
 * A sample document of a kind, printed with the site's real legal details and logo and the
 * texts being edited (not the stored ones), as an inline PDF. GET takes the fields as query
 * parameters (a link that opens in a tab), POST as form data (the page's live preview).
 */
async function preview(locals: App.Locals, input: Record<string, string>): Promise<Response> {
	const key = templateKeySchema.safeParse(input);
	if (!key.success) error(400, m.doctpl_preview_bad_request());
	const { site: siteId, kind, locale } = key.data;
	const site = managedSites(locals.user!.roles, locals.user!.sites).find((s) => s.id === siteId);
	if (!site) error(403, m.doctpl_forbidden());
	const texts = validate(textsSchema(kind), input, getLocale());
	if (!texts.ok) error(400, Object.values(texts.errors).flat().join(' '));
	const pdf = await locals.db((sql) => previewDocument(sql, storage(), { site, kind, locale, texts: texts.data }));
	if (!pdf) error(404);
	return fileResponse(pdf, { contentType: 'application/pdf', fileName: `${kind}-${locale}-preview.pdf`, disposition: 'inline' });
}

export const GET: RequestHandler = ({ locals, url }) => preview(locals, Object.fromEntries(url.searchParams));

export const POST: RequestHandler = async ({ locals, request }) => {
	const form = await request.formData();
	const input = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
	return preview(locals, input);
};
