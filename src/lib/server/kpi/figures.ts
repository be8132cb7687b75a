import { previousPeriod, type Period } from '../../domain/kpi/definitions';
import type { IsoDate } from '../../domain/planning/task';
import type { Sql } from '../db/pool';
import { kpiSnapshot, type KpiSnapshot } from './queries';
import { kpiTrend, type KpiTrend } from './trends';

const TREND_WEEKS = 12;

export interface KpiFigures {
	period: Period;
	snapshot: KpiSnapshot;
	previous: KpiSnapshot;
	trend: KpiTrend;
}

/**
 * Everything the panels draw, read as the viewer (a person or a wall device) under row-level
 * security. The trend stops at today: the weeks left in this month have no figures yet, not zero ones.
 */
export async function kpiFigures(sql: Sql, { period, today }: { period: Period; today: IsoDate }, siteId: string | null): Promise<KpiFigures> {
	return {
		period,
		snapshot: await kpiSnapshot(sql, period, siteId),
		previous: await kpiSnapshot(sql, previousPeriod(period), siteId),
		trend: await kpiTrend(sql, { weeks: TREND_WEEKS, end: period.end < today ? period.end : today }, siteId)
	};
}
