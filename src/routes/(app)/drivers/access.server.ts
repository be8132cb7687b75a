import type { SessionUser } from '$lib/server/auth/session-user';

/** Who keeps drivers' records (the drivers policies say the same, and they decide). */
export const DRIVER_MANAGERS = ['site_manager', 'director', 'admin'] as const;

export const keepsDrivers = (user: SessionUser) => user.roles.some((r) => (DRIVER_MANAGERS as readonly string[]).includes(r.role));
export const drives = (user: SessionUser) => user.roles.some((r) => r.role === 'driver');

/** A form's text field, undefined when absent or blank. */
export const text = (form: FormData, name: string): string | undefined => {
	const v = form.get(name);
	return typeof v === 'string' && v.trim() !== '' ? v : undefined;
};
