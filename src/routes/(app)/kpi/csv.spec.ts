import { describe, expect, it } from 'vitest';
import type { KpiPanelData } from '$lib/components/kpi/types';
import type { KpiValues } from '$lib/server/kpi/queries';
import { panelCsv } from './csv';

const values = (over: Partial<KpiValues>): KpiValues => ({
	vehicles_processed: 0,
	immobilisation_hours: null,
	immobilisation_distribution: { lt_24h: 0, h24_48: 0, h48_72: 0, d3_7: 0, gte_7d: 0 },
	tasks_planned: 0,
	tasks_done: 0,
	workload: [],
	revenue_cents: 0,
	open_transfers: 0,
	overdue_invoices: { count: 0, amountCents: 0 },
	overdue_tickets: 0,
	pipeline_value_cents: { openLeads: 0, valueCents: 0 },
	...over
});

const lys = values({
	vehicles_processed: 4,
	immobilisation_hours: 46.25,
	immobilisation_distribution: { lt_24h: 1, h24_48: 1, h48_72: 0, d3_7: 2, gte_7d: 0 },
	tasks_planned: 4,
	tasks_done: 2,
	workload: [{ teamId: 't1', siteId: 's1', name: '=Lavage', plannedMinutes: 270, capacityMinutes: 10_080, percent: (100 * 270) / 10_080 }],
	revenue_cents: -20_050,
	open_transfers: 2,
	overdue_invoices: { count: 2, amountCents: 72_000 },
	overdue_tickets: 1
});
const mrs = values({ vehicles_processed: 2, immobilisation_hours: 126, immobilisation_distribution: { lt_24h: 0, h24_48: 0, h48_72: 1, d3_7: 0, gte_7d: 1 } });
const period = { start: '2026-11-01', end: '2026-11-30' };
const data: KpiPanelData = {
	snapshot: {
		period,
		workingDays: 21,
		sites: [
			{ siteId: 's1', code: 'HUB-LYS', name: 'Lyon', values: lys },
			{ siteId: 's2', code: 'HUB-MRS', name: 'Marseille', values: mrs }
		],
		consolidated: values({ ...lys, vehicles_processed: 6, immobilisation_hours: 78, immobilisation_distribution: { lt_24h: 1, h24_48: 1, h48_72: 1, d3_7: 2, gte_7d: 1 } })
	},
	previous: { period: { start: '2026-10-02', end: '2026-10-31' }, workingDays: 22, sites: [], consolidated: values({ vehicles_processed: 5, revenue_cents: null, overdue_invoices: null }) },
	trend: {
		weeks: ['2026-11-16', '2026-11-23'],
		sites: [],
		consolidated: [
			{ vehiclesProcessed: 3, immobilisationHours: 12.04, tasksPlanned: 5, tasksDone: 4, revenueCents: 123_456 },
			{ vehiclesProcessed: 0, immobilisationHours: null, tasksPlanned: 0, tasksDone: 0, revenueCents: null }
		]
	}
};

const lines = (csv: string) => csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');

describe('panelCsv', () => {
	it('writes the headline figures with the previous period, in French spreadsheet conventions', () => {
		const csv = panelCsv({ panel: 'headline', data, locale: 'fr' });
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(lines(csv)).toEqual([
			'Indicateur;Site;Valeur;Période précédente;Unité',
			'Véhicules traités;Consolidé;6;5;nombre',
			'Immobilisation moyenne;Consolidé;78,0;;heures',
			'Tâches planifiées;Consolidé;4;0;nombre',
			'Tâches terminées;Consolidé;2;0;nombre',
			'Chiffre d’affaires HT;Consolidé;-200,50;;euros',
			'Transferts en cours;Consolidé;2;0;nombre',
			'Factures en retard (nombre);Consolidé;2;;nombre',
			'Factures en retard (TTC);Consolidé;720,00;;euros',
			'Échanges en retard;Consolidé;1;0;nombre'
		]);
	});

	it('writes English with commas and dots, the distribution per site', () => {
		expect(lines(panelCsv({ panel: 'immobilisation', data, locale: 'en' }))).toEqual([
			'Duration,Consolidated,HUB-LYS,HUB-MRS',
			'< 24 h,1,1,0',
			'24–48 h,1,1,0',
			'48–72 h,1,0,1',
			'3–7 d,2,2,0',
			'≥ 7 d,1,0,1'
		]);
	});

	it('writes every metric per site, and the weeks of the trend', () => {
		expect(lines(panelCsv({ panel: 'sites', data, locale: 'en' }))).toEqual([
			'Site,Vehicles processed,Average immobilisation,Tasks planned,Tasks done,Revenue excl. VAT,Open transfers,Overdue threads',
			'HUB-LYS,4,46.3,4,2,-200.50,2,1',
			'HUB-MRS,2,126.0,0,0,0.00,0,0'
		]);
		expect(lines(panelCsv({ panel: 'trends', data, locale: 'fr' }))).toEqual([
			'Semaine (lundi);Véhicules traités;Immobilisation moyenne;Tâches planifiées;Tâches terminées;Chiffre d’affaires HT',
			'2026-11-16;3;12,0;5;4;1234,56',
			'2026-11-23;0;;0;0;'
		]);
	});

	it('keeps a team name from running as a formula', () => {
		expect(lines(panelCsv({ panel: 'workload', data, locale: 'fr' }))).toEqual([
			'Site;Équipe;Minutes planifiées;Minutes de capacité;Charge (%)',
			`HUB-LYS;"'=Lavage";270;10080;2,7`
		]);
	});
});
