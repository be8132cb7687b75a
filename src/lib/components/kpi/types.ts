import type { KpiSnapshot } from '$lib/server/kpi/queries';
import type { KpiTrend } from '$lib/server/kpi/trends';

/** How a panel is shown: in the dashboard page, or dark with very large type on a TV wall (no controls). */
export type KpiVariant = 'screen' | 'wall';

/** What every panel is drawn from; the wall and `/kpi` load the same shapes. */
export interface KpiPanelData {
	snapshot: KpiSnapshot;
	/** The same figures over the period before (`previousPeriod`); null to show no comparison. */
	previous: KpiSnapshot | null;
	/** Weekly series ending with the period's week; null when not loaded. */
	trend: KpiTrend | null;
}

/** The metrics the site comparison ranks by: those with a weekly series for the small multiples. */
export const siteMetrics = ['vehicles_processed', 'immobilisation_hours', 'tasks_done', 'revenue_cents'] as const;
export type SiteMetric = (typeof siteMetrics)[number];
