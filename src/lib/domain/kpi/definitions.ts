import { addDays, isoWeekday, monthOf, workingDays as calendarWorkingDays, type IsoWeekday } from '../planning/calendar';
import type { IsoDate } from '../planning/task';

/**
 * The KPI catalogue as data: one entry per figure the dashboards and the wall show. The texts are
 * the UI's info tooltips and the documentation, so the SQL in `lib/server/kpi/queries.ts` cites
 * each definition by id and must do exactly what the text says.
 */

export type KpiUnit = 'count' | 'hours' | 'percent' | 'cents' | 'minutes';

/** A period of whole days, both ends included, in each site's own time zone. */
export interface Period {
	start: IsoDate;
	end: IsoDate;
}

interface KpiBase {
	id: string;
	unit: KpiUnit;
	/** Whether a rise is good news: decides the colour of the change against the previous period. */
	higherIsBetter: boolean;
	definition: { fr: string; en: string };
}

export interface AvailableKpi extends KpiBase {
	available: true;
}

/** Listed so the UI can say why the figure is missing, never computed from made-up data. */
export interface UnavailableKpi extends KpiBase {
	available: false;
	reason: { fr: string; en: string };
}

export type KpiDefinition = AvailableKpi | UnavailableKpi;

const needsDealerSales = {
	fr: 'Dépend des ventes des concessions, que Relais n’enregistre pas encore.',
	en: 'Depends on dealer sales, which Relais does not record yet.'
};

export const kpiDefinitions = [
	{
		id: 'vehicles_processed',
		unit: 'count',
		higherIsBetter: true,
		available: true,
		definition: {
			fr: 'Véhicules passés « prêts » pendant la période (date de mise à disposition dans la période).',
			en: 'Vehicles that became ready during the period (ready time within the period).'
		}
	},
	{
		id: 'immobilisation_hours',
		unit: 'hours',
		higherIsBetter: false,
		available: true,
		definition: {
			fr: 'Durée moyenne entre l’arrivée sur site et la mise à disposition, pour les véhicules traités dans la période ; ceux sans heure d’arrivée sont exclus de la moyenne.',
			en: 'Average time from arrival on site to ready, over the vehicles processed in the period; vehicles without an arrival time are left out of the average.'
		}
	},
	{
		id: 'immobilisation_distribution',
		unit: 'count',
		higherIsBetter: false,
		available: true,
		definition: {
			fr: 'Les mêmes véhicules répartis par durée d’immobilisation : moins de 24 h, 24–48 h, 48–72 h, 3–7 jours, 7 jours et plus (borne basse incluse).',
			en: 'The same vehicles by immobilisation time: under 24 h, 24–48 h, 48–72 h, 3–7 days, 7 days or more (lower bound included).'
		}
	},
	{
		id: 'tasks_planned',
		unit: 'count',
		higherIsBetter: true,
		available: true,
		definition: {
			fr: 'Tâches planifiées sur un jour de la période, hors tâches annulées.',
			en: 'Tasks planned on a day of the period, cancelled tasks excluded.'
		}
	},
	{
		id: 'tasks_done',
		unit: 'count',
		higherIsBetter: true,
		available: true,
		definition: {
			fr: 'Parmi les tâches planifiées dans la période, celles terminées ou validées.',
			en: 'Of the tasks planned in the period, those done or validated.'
		}
	},
	{
		id: 'workload',
		unit: 'percent',
		higherIsBetter: false,
		available: true,
		definition: {
			fr: 'Par équipe : minutes estimées des tâches planifiées dans la période (hors annulées) rapportées à la capacité journalière × jours ouvrés (lundi–vendredi) de la période.',
			en: 'Per team: estimated minutes of the tasks planned in the period (cancelled excluded) against daily capacity × working days (Monday–Friday) in the period.'
		}
	},
	{
		id: 'revenue_cents',
		unit: 'cents',
		higherIsBetter: true,
		available: true,
		definition: {
			fr: 'Chiffre d’affaires HT : factures émises moins avoirs émis, selon leur date d’émission dans la période ; les brouillons sont exclus.',
			en: 'Revenue before VAT: issued invoices minus issued credit notes, by issue date within the period; drafts excluded.'
		}
	},
	{
		id: 'open_transfers',
		unit: 'count',
		higherIsBetter: false,
		available: true,
		definition: {
			fr: 'Transferts demandés au plus tard le dernier jour de la période et ni livrés, ni réceptionnés, ni annulés à la fin de celle-ci. Un site compte ses transferts sortants et entrants ; le consolidé compte chaque transfert une fois.',
			en: 'Transfers requested by the last day of the period and neither delivered, received nor cancelled at its end. A site counts its outgoing and incoming transfers; the consolidated figure counts each transfer once.'
		}
	},
	{
		id: 'overdue_invoices',
		unit: 'cents',
		higherIsBetter: false,
		available: true,
		definition: {
			fr: 'Factures en retard à la fin de la période : au statut « en retard », ou émises/envoyées avec une échéance antérieure au dernier jour. Nombre et montant TTC dû.',
			en: 'Invoices overdue at the end of the period: in status overdue, or issued/sent with a due date before its last day. Count and amount due including VAT.'
		}
	},
	{
		id: 'overdue_tickets',
		unit: 'count',
		higherIsBetter: false,
		available: true,
		definition: {
			fr: 'Conversations non résolues dont le client attend une réponse depuis plus que le délai cible de l’organisation, à la fin de la période (ou maintenant si elle n’est pas finie) — la règle de la boîte de réception.',
			en: 'Unresolved threads where the client has waited longer than the organisation’s response target, at the end of the period (or now if it is not over) — the inbox rule.'
		}
	},
	{
		id: 'pipeline_value_cents',
		unit: 'cents',
		higherIsBetter: true,
		available: true,
		definition: {
			fr: 'Valeur des pistes ouvertes (étapes nouvelle à commande, hors livrées et perdues), au moment de la lecture, quelle que soit la période : la somme de leur valeur estimée TTC, et leur nombre.',
			en: 'Value of the open leads (stages new to order, delivered and lost excluded), at the time of reading, whatever the period: the sum of their estimated value including VAT, and their number.'
		}
	},
	{
		id: 'margin_per_vehicle_cents',
		unit: 'cents',
		higherIsBetter: true,
		available: false,
		reason: needsDealerSales,
		definition: { fr: 'Marge moyenne par véhicule vendu (concessions).', en: 'Average margin per vehicle sold (dealer sites).' }
	},
	{
		id: 'stock_rotation',
		unit: 'count',
		higherIsBetter: true,
		available: false,
		reason: needsDealerSales,
		definition: { fr: 'Jours en stock et rotation du stock des concessions.', en: 'Days in stock and stock rotation of the dealer sites.' }
	}
] as const satisfies readonly KpiDefinition[];

export type KpiId = (typeof kpiDefinitions)[number]['id'];
export type AvailableKpiId = Extract<(typeof kpiDefinitions)[number], { available: true }>['id'];

export function kpiDefinition(id: KpiId): KpiDefinition {
	return kpiDefinitions.find((k) => k.id === id)!;
}

// ─── immobilisation buckets ────────────────────────────────────────────────────────────────

export const immobilisationBuckets = ['lt_24h', 'h24_48', 'h48_72', 'd3_7', 'gte_7d'] as const;
export type ImmobilisationBucket = (typeof immobilisationBuckets)[number];

/** Lower bounds in hours, included; the SQL uses the same bounds (see `queries.ts`). */
export const bucketLowerBoundsHours: Record<ImmobilisationBucket, number> = { lt_24h: 0, h24_48: 24, h48_72: 48, d3_7: 72, gte_7d: 168 };

/** The bucket of an immobilisation time; a negative time (bad data) counts as under 24 h. */
export function bucketOf(hours: number): ImmobilisationBucket {
	if (hours >= 168) return 'gte_7d';
	if (hours >= 72) return 'd3_7';
	if (hours >= 48) return 'h48_72';
	if (hours >= 24) return 'h24_48';
	return 'lt_24h';
}

// ─── periods ───────────────────────────────────────────────────────────────────────────────

const mondayToFriday: readonly IsoWeekday[] = [1, 2, 3, 4, 5];

function daysBetween(start: IsoDate, end: IsoDate): number {
	return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
}

/** The period of the same number of days ending the day before `start`: what the figures compare with. */
export function previousPeriod({ start, end }: Period): Period {
	const length = daysBetween(start, end) + 1;
	return { start: addDays({ date: start, count: -length }), end: addDays({ date: start, count: -1 }) };
}

/** Today, the ISO week (Monday to Sunday) or the calendar month containing `today`. */
export function periodFor(kind: 'today' | 'week' | 'month', today: IsoDate): Period {
	// Round-tripping through the calendar refuses a date that does not exist (2027-02-29).
	today = addDays({ date: today, count: 0 });
	if (kind === 'today') return { start: today, end: today };
	if (kind === 'week') {
		const monday = addDays({ date: today, count: 1 - isoWeekday(today) });
		return { start: monday, end: addDays({ date: monday, count: 6 }) };
	}
	return monthOf(today);
}

/** Monday-to-Friday days from `start` to `end`, both included (no public holidays: capacity is nominal). */
export function workingDays(start: IsoDate, end: IsoDate): number {
	return calendarWorkingDays({ from: start, to: end, weekdays: mondayToFriday }).length;
}

/** Relative change from `previous` to `current` (0.25 = +25 %); null when there is nothing to compare with. */
export function change(current: number | null, previous: number | null): number | null {
	if (current === null || previous === null || previous === 0) return null;
	return (current - previous) / Math.abs(previous);
}
