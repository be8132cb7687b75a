import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { env } from '$lib/server/env';
import { channels, notificationKinds } from '$lib/server/notify/kinds';
import {
	loadPreferences,
	preferencesForm,
	pushSubscriptionInput,
	readPreferencesForm,
	savePreferences,
	subscribePush
} from '$lib/server/notify/preferences';
import { validate } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

/** Each person's own matrix of kinds × channels; row-level security keeps it theirs. */
export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	const config = env();
	return locals.db(async (sql) => {
		const { rows } = await sql.query<{ phone: string | null }>('select phone from public.profiles where id = auth.uid()');
		return {
			kinds: [...notificationKinds],
			channels: [...channels],
			preferences: await loadPreferences(sql, user.primaryRole),
			hasPhone: Boolean(rows[0]?.phone),
			// The public key only: browsers subscribe with it.
			pushKey: config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY && config.VAPID_SUBJECT ? config.VAPID_PUBLIC_KEY : null
		};
	});
};

export const actions: Actions = {
	save: async ({ request, locals }) => {
		const parsed = validate(preferencesForm, readPreferencesForm(await request.formData()), getLocale());
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		try {
			await locals.db((sql) => savePreferences(sql, parsed.data));
		} catch (err) {
			if ((err as { code?: string }).code === '42501') return fail(403, { errors: { '': [m.notify_settings_forbidden()] } });
			throw err;
		}
		return { saved: true };
	},
	/** This browser's push subscription (posted by the page's script, not by a form). */
	subscribe: async ({ request, locals }) => {
		const parsed = validate(pushSubscriptionInput, Object.fromEntries(await request.formData()), getLocale());
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		await locals.db((sql) => subscribePush(sql, parsed.data));
		return { subscribed: true };
	}
};
