import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { ThreadError, type Actor } from './service';
import type { UploadedFile } from './schemas';

/** Form plumbing shared by the staff and portal thread pages. */

export function actorOf(user: App.Locals['user']): Actor {
	// Staff are whoever works at a site (the same rule as private.staff_site_ids()).
	return { id: user!.id, staff: user!.sites.length > 0 };
}

/** The files of a multipart form, read into memory (the schema bounds their number and size). */
export async function filesOf(form: FormData, field = 'files'): Promise<UploadedFile[]> {
	const files = form.getAll(field).filter((f): f is File => f instanceof File && f.size > 0);
	return Promise.all(files.map(async (f) => ({ name: f.name, type: f.type as UploadedFile['type'], size: f.size, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

export const text = (form: FormData, field: string) => {
	const v = form.get(field);
	return typeof v === 'string' ? v : undefined;
};

// The service's own refusal codes, in the reader's language (Zod's messages already are).
const codes: Record<string, () => string> = {
	staff_only: m.thread_error_staff_only,
	not_staff: m.thread_error_not_staff,
	unsupported: m.thread_error_unsupported,
	not_found: m.thread_not_found,
	size: m.thread_error_file
};

/** An expected refusal becomes a 4xx form failure with its field errors; anything else is rethrown. */
export function failure(err: unknown, values: Record<string, unknown> = {}) {
	if (!(err instanceof ThreadError)) throw err;
	const errors = Object.fromEntries(Object.entries(err.errors).map(([field, list]) => [field, list.map((e) => codes[e]?.() ?? e)]));
	if (err.code === 'forbidden' && !Object.keys(errors).length) errors[''] = [m.thread_error_forbidden()];
	if (err.code === 'not_found' && !Object.keys(errors).length) errors[''] = [m.thread_not_found()];
	return fail(err.status, { errors, values });
}
