import { z } from 'zod';

const locales = { fr: z.locales.fr(), en: z.locales.en() };

export type FieldErrors = Record<string, string[]>;

export type Validated<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Validates untrusted input and returns messages per field in the reader's language, using
 * Zod's own French and English translations (a field name is the dotted path; '' is the form).
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, locale: 'fr' | 'en'): Validated<z.output<S>> {
	const result = schema.safeParse(input, { error: locales[locale].localeError });
	if (result.success) return { ok: true, data: result.data };
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const key = issue.path.join('.');
		(errors[key] ??= []).push(issue.message);
	}
	return { ok: false, errors };
}
