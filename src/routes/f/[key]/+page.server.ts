import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { appPool } from '$lib/server/db';
import { leadFormPage, submitWebLead, webLeadSchema } from '$lib/server/crm/intake';
import { consumeLeadFormSubmission } from '$lib/server/crm/lead-rate-limit';
import { validate } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

type Locale = 'fr' | 'en';

/** A dealer's site embeds the form in its own pages and may ask for a language with ?lang=. */
function formLocale(url: URL): Locale {
	const lang = url.searchParams.get('lang');
	return lang === 'fr' || lang === 'en' ? lang : getLocale();
}

const vehicleParam = z.guid().optional().catch(undefined);

export const load: PageServerLoad = async ({ params, url }) => {
	const locale = formLocale(url);
	const form = await leadFormPage(await appPool(), params.key);
	if (!form) throw error(404, m.crm_ld_form_unknown({}, { locale }));
	return { form, locale, vehicle: vehicleParam.parse(url.searchParams.get('vehicle') ?? undefined) ?? null };
};

const fields = ['firstName', 'lastName', 'email', 'phone', 'postcode', 'message', 'vehicle'] as const;

export const actions: Actions = {
	default: async ({ request, params, url, getClientAddress }) => {
		const locale = formLocale(url);
		const form = await request.formData();
		const values = Object.fromEntries(fields.map((f) => [f, String(form.get(f) ?? '')]));
		// The honeypot: hidden from people, filled by scripts. Thank the script and write nothing.
		if (String(form.get('website') ?? '') !== '') return { sent: true };

		const waitSeconds = await consumeLeadFormSubmission(getClientAddress());
		if (waitSeconds > 0) return fail(429, { values, errors: { '': [m.crm_ld_form_rate_limited({ seconds: waitSeconds }, { locale })] } });

		const schema = webLeadSchema({
			lastNameRequired: () => m.crm_ld_form_last_name_required({}, { locale }),
			tooLong: () => m.crm_ld_form_too_long({}, { locale }),
			emailInvalid: () => m.crm_ld_form_email_invalid({}, { locale }),
			phoneInvalid: () => m.crm_ld_form_phone_invalid({}, { locale }),
			contactRequired: () => m.crm_ld_form_contact_required({}, { locale }),
			postcodeInvalid: () => m.crm_ld_form_postcode_invalid({}, { locale }),
			consentRequired: () => m.crm_ld_form_consent_required({}, { locale })
		});
		const checked = validate(schema, { ...values, consent: form.get('consent') ?? undefined }, locale);
		if (!checked.ok) return fail(400, { values, errors: checked.errors });

		const result = await submitWebLead(await appPool(), params.key, checked.data);
		if (!result.ok) throw error(404, m.crm_ld_form_unknown({}, { locale }));
		return { sent: true };
	}
};
