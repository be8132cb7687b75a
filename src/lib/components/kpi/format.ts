import { kpiDefinition, type ImmobilisationBucket, type KpiId } from '$lib/domain/kpi/definitions';
import { kpiPanelTitles, type KpiPanelId } from '$lib/domain/kpi/panels';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatDay, intlLocale } from '../format';

/** Words and numbers of the KPI panels in the reader's language (or the one given, for files). */

type Locale = 'fr' | 'en';
type Message = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

const labels: Record<KpiId, Message> = {
	vehicles_processed: m.kpi_label_vehicles_processed,
	immobilisation_hours: m.kpi_label_immobilisation_hours,
	immobilisation_distribution: m.kpi_label_immobilisation_distribution,
	tasks_planned: m.kpi_label_tasks_planned,
	tasks_done: m.kpi_label_tasks_done,
	workload: m.kpi_label_workload,
	revenue_cents: m.kpi_label_revenue_cents,
	open_transfers: m.kpi_label_open_transfers,
	overdue_invoices: m.kpi_label_overdue_invoices,
	overdue_tickets: m.kpi_label_overdue_tickets,
	pipeline_value_cents: m.kpi_label_pipeline_value_cents,
	margin_per_vehicle_cents: m.kpi_label_margin_per_vehicle_cents,
	stock_rotation: m.kpi_label_stock_rotation
};

export const kpiLabel = (id: KpiId, locale?: Locale): string => labels[id]({}, { locale });

/** The catalogue's definition, the text of every info tooltip. */
export const kpiDefinitionText = (id: KpiId): string => kpiDefinition(id).definition[getLocale()];

const bucketLabels: Record<ImmobilisationBucket, Message> = {
	lt_24h: m.kpi_bucket_lt_24h,
	h24_48: m.kpi_bucket_h24_48,
	h48_72: m.kpi_bucket_h48_72,
	d3_7: m.kpi_bucket_d3_7,
	gte_7d: m.kpi_bucket_gte_7d
};

export const bucketLabel = (bucket: ImmobilisationBucket, locale?: Locale): string => bucketLabels[bucket]({}, { locale });

export const panelTitle = (id: KpiPanelId): string => kpiPanelTitles[id][getLocale()];

export function formatCount(value: number): string {
	return new Intl.NumberFormat(intlLocale()).format(value);
}

/** Hours with one decimal under 10 h, whole hours above; "—" when there is no average. */
export function formatHours(hours: number | null): string {
	if (hours === null) return '—';
	const value = new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: Math.abs(hours) < 10 ? 1 : 0 }).format(hours);
	return m.kpi_hours({ value });
}

/** Whole euros: a dashboard figure, not an invoice amount. */
export function formatWholeEuros(cents: number): string {
	return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(cents / 100);
}

/** A ratio (0.25) as "25 %" / "25%". */
export function formatRatio(ratio: number): string {
	return new Intl.NumberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** "3 – 9 nov." or "1 nov. – 30 nov. 2026": a period as its two days. */
export function formatRange({ start, end }: { start: string; end: string }): string {
	if (start === end) return formatDay(start, { day: 'numeric', month: 'short', year: 'numeric' });
	return `${formatDay(start)} – ${formatDay(end, { day: 'numeric', month: 'short', year: 'numeric' })}`;
}

export type ChangeTone = 'good' | 'bad' | 'flat';

/** Whether a change is good news, given which way the KPI should go; null when nothing compares. */
export function changeTone(ratio: number | null, higherIsBetter: boolean): ChangeTone | null {
	if (ratio === null) return null;
	if (ratio === 0) return 'flat';
	return ratio > 0 === higherIsBetter ? 'good' : 'bad';
}
