/**
 * The price list is kept as versions: a price that applied on some day stays readable as it
 * was, so a change is a new version starting on a later day, and the version it replaces is
 * closed the day before. (Tasks keep the price they were given anyway; this keeps the list
 * itself an honest history.) Dates are 'YYYY-MM-DD' calendar days of the site, as in pricing.ts.
 */

export interface PriceVersion {
	id: string;
	validFrom: string;
	validTo: string | null;
}

export type PriceVersionError =
	/** A new price would rewrite what already applied. */
	| 'starts_in_past'
	| 'ends_before_start'
	/** A version of the same price starts on or after that day: withdraw it first. */
	| 'later_version_exists'
	/** The version is already over. */
	| 'already_closed'
	/** Closing that early would rewrite days on which it applied. */
	| 'closes_in_past'
	/** Only a version that has never applied may be withdrawn. */
	| 'already_applied';

export type VersionPlan = { ok: true; close: { id: string; validTo: string }[] } | { ok: false; error: PriceVersionError; day?: string };

/** The calendar day `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
	const [y, m, d] = day.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * What entering a new version of one price (same site, service and client) changes: the
 * version running on its first day is closed the day before. `versions` are that price's
 * existing versions.
 */
export function planNewVersion(input: {
	versions: readonly PriceVersion[];
	validFrom: string;
	validTo: string | null;
	today: string;
}): VersionPlan {
	const { versions, validFrom, validTo, today } = input;
	if (validFrom < today) return { ok: false, error: 'starts_in_past' };
	if (validTo !== null && validTo < validFrom) return { ok: false, error: 'ends_before_start' };
	const later = versions.filter((v) => v.validFrom >= validFrom).sort((a, b) => a.validFrom.localeCompare(b.validFrom))[0];
	if (later) return { ok: false, error: 'later_version_exists', day: later.validFrom };
	const dayBefore = addDays(validFrom, -1);
	const close = versions.filter((v) => v.validTo === null || v.validTo >= validFrom).map((v) => ({ id: v.id, validTo: dayBefore }));
	return { ok: true, close };
}

/**
 * Closing a version: its last day may be yesterday (it stops applying today) or later, never
 * earlier, and never before it started (withdraw a version that has not started instead).
 */
export function planClose(input: { version: PriceVersion; lastDay: string; today: string }): VersionPlan {
	const { version, lastDay, today } = input;
	if (version.validTo !== null && version.validTo < today) return { ok: false, error: 'already_closed' };
	if (lastDay < addDays(today, -1)) return { ok: false, error: 'closes_in_past' };
	if (lastDay < version.validFrom) return { ok: false, error: 'ends_before_start' };
	return { ok: true, close: [{ id: version.id, validTo: lastDay }] };
}

/** A version may be withdrawn (deleted) only while it has never applied: it starts after today. */
export function mayWithdraw(version: PriceVersion, today: string): boolean {
	return version.validFrom > today;
}
