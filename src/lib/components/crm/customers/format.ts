import { intlLocale } from '$lib/components/format';

/** "Camille Durand", or the last name alone. */
export const fullName = (c: { firstName: string | null; lastName: string }) => (c.firstName ? `${c.firstName} ${c.lastName}` : c.lastName);

/** A moment of the history: the date, and the time when it is this year. */
export function formatMoment(iso: string): string {
	const at = new Date(iso);
	const thisYear = at.getFullYear() === new Date().getFullYear();
	return at.toLocaleString(intlLocale(), thisYear ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } : { dateStyle: 'medium' });
}

/** Whole euros: a vehicle's price in cents would only add noise. */
export function formatPrice(cents: number): string {
	return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(cents / 100);
}
