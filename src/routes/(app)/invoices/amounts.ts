import { addDays } from '$lib/domain/planning/calendar';

/**
 * What billing staff type, read exactly: euros with a comma or a dot (spaces, non-breaking
 * spaces and a euro sign allowed) into integer cents, without going through a float.
 */
export function parseEuros(text: string): number | null {
	const clean = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
	const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(clean);
	if (!match) return null;
	return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** The month before the one holding `today` (yyyy-mm-dd), as yyyy-mm: what a monthly run bills. */
export function previousMonth(today: string): string {
	return addDays({ date: `${today.slice(0, 7)}-01`, count: -1 }).slice(0, 7);
}
