import Papa from 'papaparse';
import { immobilisationBuckets } from '$lib/domain/kpi/definitions';
import type { KpiPanelId } from '$lib/domain/kpi/panels';
import { bucketLabel, kpiLabel } from '$lib/components/kpi/format';
import type { KpiPanelData } from '$lib/components/kpi/types';
import type { KpiValues } from '$lib/server/kpi/queries';
import { m } from '$lib/paraglide/messages';
import { FORMULA } from '$lib/server/accounting/exports';

type Locale = 'fr' | 'en';
type Cell = string | number | null;

/** A number as the spreadsheet of that language reads it: "12,5" in French, "12.5" in English; empty when unknown. */
function decimal(value: number | null, digits: number, locale: Locale): string {
	if (value === null) return '';
	const text = value.toFixed(digits);
	return locale === 'fr' ? text.replace('.', ',') : text;
}

/**
 * The figures of one panel as CSV, for a spreadsheet: `;` and decimal comma in French, `,` and
 * dot in English, UTF-8 with a BOM so Excel reads the accents. Amounts are euros with cents,
 * hours have one decimal; a figure the viewer may not read (money on some walls) is left empty.
 */
export function panelCsv({ panel, data, locale }: { panel: KpiPanelId; data: KpiPanelData; locale: Locale }): string {
	const t = (message: (inputs: Record<string, never>, options: { locale: Locale }) => string) => message({}, { locale });
	const count = (n: number | null) => (n === null ? '' : String(n));
	const hours = (h: number | null) => decimal(h, 1, locale);
	const euros = (cents: number | null) => decimal(cents === null ? null : cents / 100, 2, locale);
	const { snapshot, previous, trend } = data;
	const scope = snapshot.sites.length === 1 ? snapshot.sites[0].code : t(m.kpi_csv_consolidated);

	let rows: Cell[][];
	switch (panel) {
		case 'headline': {
			const now = snapshot.consolidated;
			const before = previous?.consolidated ?? null;
			const unit = { count: t(m.kpi_unit_count), hours: t(m.kpi_unit_hours), euros: t(m.kpi_unit_euros) };
			const lines: [string, keyof typeof unit, (v: KpiValues) => string][] = [
				[kpiLabel('vehicles_processed', locale), 'count', (v) => count(v.vehicles_processed)],
				[kpiLabel('immobilisation_hours', locale), 'hours', (v) => hours(v.immobilisation_hours)],
				[kpiLabel('tasks_planned', locale), 'count', (v) => count(v.tasks_planned)],
				[kpiLabel('tasks_done', locale), 'count', (v) => count(v.tasks_done)],
				[kpiLabel('revenue_cents', locale), 'euros', (v) => euros(v.revenue_cents)],
				[kpiLabel('open_transfers', locale), 'count', (v) => count(v.open_transfers)],
				[t(m.kpi_csv_overdue_count), 'count', (v) => count(v.overdue_invoices?.count ?? null)],
				[t(m.kpi_csv_overdue_amount), 'euros', (v) => euros(v.overdue_invoices?.amountCents ?? null)],
				[kpiLabel('overdue_tickets', locale), 'count', (v) => count(v.overdue_tickets)]
			];
			rows = [
				[t(m.kpi_csv_metric), t(m.kpi_csv_site), t(m.kpi_csv_value), t(m.kpi_csv_previous), t(m.kpi_csv_unit)],
				...(now ? lines.map(([label, u, read]) => [label, scope, read(now), before ? read(before) : '', unit[u]]) : [])
			];
			break;
		}
		case 'immobilisation': {
			const columns = [{ label: scope, values: snapshot.consolidated }, ...(snapshot.sites.length > 1 ? snapshot.sites.map((s) => ({ label: s.code, values: s.values })) : [])];
			rows = [
				[t(m.kpi_csv_duration), ...columns.map((c) => c.label)],
				...immobilisationBuckets.map((b) => [bucketLabel(b, locale), ...columns.map((c) => count(c.values?.immobilisation_distribution[b] ?? 0))])
			];
			break;
		}
		case 'sites':
			rows = [
				[t(m.kpi_csv_site), ...(['vehicles_processed', 'immobilisation_hours', 'tasks_planned', 'tasks_done', 'revenue_cents', 'open_transfers', 'overdue_tickets'] as const).map((k) => kpiLabel(k, locale))],
				...snapshot.sites.map(({ code, values: v }) => [
					code,
					count(v.vehicles_processed),
					hours(v.immobilisation_hours),
					count(v.tasks_planned),
					count(v.tasks_done),
					euros(v.revenue_cents),
					count(v.open_transfers),
					count(v.overdue_tickets)
				])
			];
			break;
		case 'workload': {
			const codes = new Map(snapshot.sites.map((s) => [s.siteId, s.code]));
			rows = [
				[t(m.kpi_csv_site), t(m.kpi_csv_team), t(m.kpi_csv_planned_minutes), t(m.kpi_csv_capacity_minutes), t(m.kpi_csv_load_percent)],
				...(snapshot.consolidated?.workload ?? []).map((w) => [codes.get(w.siteId) ?? '', w.name, count(w.plannedMinutes), count(w.capacityMinutes), decimal(w.percent, 1, locale)])
			];
			break;
		}
		case 'pipeline':
			rows = [
				[t(m.kpi_csv_site), kpiLabel('pipeline_value_cents', locale), t(m.crm_pl_kpi_csv_open_leads)],
				...[...snapshot.sites.map((s) => ({ label: s.code, v: s.values })), ...(snapshot.consolidated ? [{ label: t(m.kpi_csv_consolidated), v: snapshot.consolidated }] : [])].map(
					({ label, v }) => [label, euros(v.pipeline_value_cents?.valueCents ?? null), count(v.pipeline_value_cents?.openLeads ?? null)]
				)
			];
			break;
		case 'trends':
			rows = [
				[t(m.kpi_csv_week), ...(['vehicles_processed', 'immobilisation_hours', 'tasks_planned', 'tasks_done', 'revenue_cents'] as const).map((k) => kpiLabel(k, locale))],
				...(trend?.consolidated ?? []).map((p, i) => [
					trend!.weeks[i],
					count(p.vehiclesProcessed),
					hours(p.immobilisationHours),
					count(p.tasksPlanned),
					count(p.tasksDone),
					euros(p.revenueCents)
				])
			];
			break;
	}
	// Cells Excel would run as formulas (a team is named by people) are quoted, as in the invoice export.
	const csv = Papa.unparse(rows, { delimiter: locale === 'fr' ? ';' : ',', newline: '\r\n', escapeFormulae: FORMULA });
	return `\uFEFF${csv}\r\n`;
}
