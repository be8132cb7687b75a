import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';
import { validate } from '$lib/validation';
import { appPool } from '$lib/server/db';
import { signIn } from '$lib/server/auth/sign-in';
import { setSessionCookies } from '$lib/server/auth/cookies';
import { consumeSignInAttempt, forgetSignInAttempts } from '$lib/server/auth/rate-limit';
import type { Actions, PageServerLoad } from './$types';

// Messages are resolved per parse, so they follow the reader's language.
const credentials = z.object({
	email: z
		.string()
		.trim()
		.toLowerCase()
		.pipe(z.email({ error: () => m.login_email_invalid() })),
	password: z.string().min(1, { error: () => m.login_password_required() }).max(200)
});

/** Only same-site paths, so the sign-in form cannot be used to bounce people elsewhere. */
function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) throw redirect(303, safeNext(url.searchParams.get('next')));
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = Object.fromEntries(await request.formData());
		const values = { email: String(form.email ?? '') };
		const parsed = validate(credentials, form, getLocale());
		if (!parsed.ok) return fail(400, { values, errors: parsed.errors });

		const { email, password } = parsed.data;
		const waitSeconds = await consumeSignInAttempt(getClientAddress(), email);
		if (waitSeconds > 0) {
			return fail(429, { values, errors: { '': [m.login_rate_limited({ minutes: Math.ceil(waitSeconds / 60) })] } });
		}
		const session = await signIn(await appPool(), email, password);
		// One message whether the email exists or not.
		if (!session) return fail(400, { values, errors: { '': [m.login_failed()] } });

		await forgetSignInAttempts(getClientAddress(), email);
		setSessionCookies(cookies, session, url.protocol === 'https:');
		throw redirect(303, safeNext(url.searchParams.get('next')));
	}
};
