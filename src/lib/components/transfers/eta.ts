import { intlLocale } from '$lib/components/format';
import { m } from '$lib/paraglide/messages';

/** How a transfer's road reads in the tracker: distance, then its arrival, delivery or drive time. */
export interface RoadFacts {
	km: number | null;
	etaAt: string | null;
	deliveredAt: string | null;
	driveMinutes: number | null;
}

export const formatNumber = (value: number, digits = 0): string => new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: digits }).format(value);

/** A time in Paris, with the day when it is not today. */
export function formatTime(iso: string, now = new Date()): string {
	const at = new Date(iso);
	const day = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/Paris' });
	return new Intl.DateTimeFormat(intlLocale(), {
		...(day(at) === day(now) ? {} : { day: 'numeric', month: 'short' }),
		hour: '2-digit',
		minute: '2-digit',
		timeZone: 'Europe/Paris'
	}).format(at);
}

export const formatDuration = (minutes: number): string =>
	minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;

/** "320 km · arrival around 14:35", or why there is no line. */
export function roadSummary(t: RoadFacts): string {
	if (t.km === null) return m.tracker_no_line();
	const distance = `${formatNumber(t.km)} km`;
	if (t.etaAt) return `${distance} · ${m.tracker_eta({ time: formatTime(t.etaAt) })}`;
	if (t.deliveredAt) return `${distance} · ${m.tracker_delivered_at({ time: formatTime(t.deliveredAt) })}`;
	if (t.driveMinutes !== null) return `${distance} · ${m.tracker_drive({ duration: formatDuration(t.driveMinutes) })}`;
	return distance;
}
