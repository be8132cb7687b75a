import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { channels } from '$lib/server/notify/kinds';
import { loadPreferences, preferencesFormFor, readPreferencesForm, savePreferences } from '$lib/server/notify/preferences';
import { validate } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

/** The kinds a client meets (their role's defaults in kinds.ts); the staff's kinds stay out of sight. */
const clientKinds = ['order_ready', 'ticket_reply', 'invoice_issued', 'invoice_overdue', 'transfer_status'] as const;
const portalPreferencesForm = preferencesFormFor(clientKinds);

/** The client's own matrix; row-level security keeps it theirs. */
export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	return locals.db(async (sql) => {
		const { rows } = await sql.query<{ phone: string | null }>('select phone from public.profiles where id = auth.uid()');
		const preferences = await loadPreferences(sql, user.primaryRole);
		return {
			kinds: [...clientKinds],
			channels: [...channels],
			preferences: Object.fromEntries(clientKinds.map((k) => [k, preferences[k]])),
			hasPhone: Boolean(rows[0]?.phone)
		};
	});
};

export const actions: Actions = {
	save: async ({ request, locals }) => {
		const parsed = validate(portalPreferencesForm, readPreferencesForm(await request.formData()), getLocale());
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		try {
			await locals.db((sql) => savePreferences(sql, parsed.data));
		} catch (err) {
			if ((err as { code?: string }).code === '42501') return fail(403, { errors: { '': [m.notify_settings_forbidden()] } });
			throw err;
		}
		return { saved: true };
	}
};
