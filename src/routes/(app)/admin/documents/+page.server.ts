import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { DOCUMENT_KINDS } from '$lib/server/documents/model';
import { defaultTexts } from '$lib/server/documents/templates';
import {
	LOGO_MAX_BYTES,
	customisedTemplates,
	fieldsFor,
	logoKeyOf,
	managedSites,
	overridesFrom,
	readTemplate,
	removeLogo,
	replaceLogo,
	resetSchema,
	resetTemplate,
	saveSchema,
	saveTemplate,
	templateKeySchema,
	type LogoRefusal
} from '$lib/server/documents/templates-admin';
import { storage } from '$lib/server/storage';
import { validate, type FieldErrors } from '$lib/validation';
import { kindLabel } from './kinds';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// A selection that does not parse falls back rather than failing: the URL is typed by hand too.
const selectionSchema = z.object({
	site: z.guid().optional().catch(undefined),
	kind: z.enum(DOCUMENT_KINDS).catch('invoice'),
	locale: z.enum(['fr', 'en']).optional().catch(undefined)
});

/** Site managers and admins, for the sites where they are one; anybody else is refused. */
export const load: PageServerLoad = async ({ locals, parent, url }) => {
	const user = locals.user!;
	const sites = managedSites(user.roles, user.sites);
	if (sites.length === 0) error(403, m.doctpl_forbidden());
	const { currentSite } = await parent();
	const selection = selectionSchema.parse({
		site: url.searchParams.get('site') || undefined,
		kind: url.searchParams.get('kind') ?? undefined,
		locale: url.searchParams.get('locale') || undefined
	});
	const site = sites.find((s) => s.id === selection.site) ?? sites.find((s) => s.id === currentSite?.id) ?? sites[0];
	const { kind } = selection;
	const locale = selection.locale ?? getLocale();
	const reader = getLocale();

	const { stored, customised, logoKey } = await locals.db(async (sql) => ({
		stored: await readTemplate(sql, site.id, kind, locale),
		customised: await customisedTemplates(sql, site.id),
		logoKey: await logoKeyOf(sql, site.id)
	}));
	const defaults = defaultTexts(kind, locale);
	return {
		sites: sites.map(({ id, code, name }) => ({ id, code, name })),
		site: { id: site.id, code: site.code, name: site.name },
		kind,
		locale,
		fields: fieldsFor(kind).map((field) => ({
			key: field.key,
			label: field.label[reader],
			hint: field.hint[reader],
			multiline: field.multiline,
			maxLength: field.maxLength,
			placeholder: defaults[field.key],
			value: stored?.texts[field.key] ?? ''
		})),
		updatedAt: stored?.updatedAt ?? null,
		updatedBy: stored?.updatedBy ?? null,
		customised,
		// The file's own name changes with every upload: the thumbnail's URL does too.
		logo: logoKey ? (logoKey.split('/').pop() ?? null) : null,
		logoMaxBytes: LOGO_MAX_BYTES
	};
};

type ActionName = 'save' | 'reset' | 'logo';

const logoErrors: Record<LogoRefusal | 'forbidden', () => string> = {
	empty: m.doctpl_logo_error_empty,
	too_large: m.doctpl_logo_error_too_large,
	not_an_image: m.doctpl_logo_error_not_an_image,
	forbidden: m.doctpl_error_forbidden
};

/**
 * What every action starts with: the form's strings, which template it is about, and whether the
 * person manages that site (the policies would refuse the write anyway; this answers in words).
 */
async function begin(event: RequestEvent, action: ActionName) {
	const form = await event.request.formData();
	const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
	const failure = (status: number, errors: FieldErrors) => fail(status, { action, values, errors });
	const key = templateKeySchema.safeParse(values);
	const user = event.locals.user!;
	const site = key.success ? managedSites(user.roles, user.sites).find((s) => s.id === key.data.site) : undefined;
	return { form, values, failure, key: key.success && site ? { ...key.data, site } : null };
}

const refused = (err: unknown) => (err as { code?: string }).code === '42501';

export const actions: Actions = {
	save: async (event) => {
		const { values, failure, key } = await begin(event, 'save');
		if (!key) return failure(403, { '': [m.doctpl_error_forbidden()] });
		const parsed = validate(saveSchema(key.kind), values, getLocale());
		if (!parsed.ok) return failure(400, parsed.errors);
		const { reason, ...typed } = parsed.data;
		const texts = overridesFrom(key.kind, key.locale, typed);
		try {
			const outcome = await event.locals.db((sql) => saveTemplate(sql, { siteId: key.site.id, kind: key.kind, locale: key.locale, reason, texts }));
			return { action: 'save', done: outcome === 'saved' ? m.doctpl_saved({ kind: kindLabel(key.kind) }) : m.doctpl_reset_done({ kind: kindLabel(key.kind) }) };
		} catch (err) {
			if (refused(err)) return failure(403, { '': [m.doctpl_error_forbidden()] });
			throw err;
		}
	},
	reset: async (event) => {
		const { values, failure, key } = await begin(event, 'reset');
		if (!key) return failure(403, { '': [m.doctpl_error_forbidden()] });
		const parsed = validate(resetSchema, values, getLocale());
		if (!parsed.ok) return failure(400, parsed.errors);
		const removed = await event.locals.db((sql) => resetTemplate(sql, { siteId: key.site.id, kind: key.kind, locale: key.locale, reason: parsed.data.reason }));
		return { action: 'reset', done: removed ? m.doctpl_reset_done({ kind: kindLabel(key.kind) }) : m.doctpl_nothing_to_reset() };
	},
	logo: async (event) => {
		const { form, failure, key } = await begin(event, 'logo');
		if (!key) return failure(403, { '': [m.doctpl_error_forbidden()] });
		const store = storage();
		const db = event.locals.db;
		if (form.has('remove')) {
			const result = await removeLogo({ db, store, siteId: key.site.id });
			return result.ok ? { action: 'logo', done: m.doctpl_logo_removed() } : failure(403, { '': [logoErrors[result.error]()] });
		}
		const file = form.get('logo');
		if (!(file instanceof File) || file.size === 0) return failure(400, { logo: [m.doctpl_logo_error_empty()] });
		// Refused before reading it: the size a browser declares is the size it sent.
		if (file.size > LOGO_MAX_BYTES) return failure(400, { logo: [m.doctpl_logo_error_too_large()] });
		const result = await replaceLogo({ db, store, siteId: key.site.id, bytes: new Uint8Array(await file.arrayBuffer()) });
		if (!result.ok) return failure(result.error === 'forbidden' ? 403 : 400, { [result.error === 'forbidden' ? '' : 'logo']: [logoErrors[result.error]()] });
		return { action: 'logo', done: m.doctpl_logo_saved() };
	}
};
