/** The KPI panels a wall device can rotate through, in display order, with their titles. */
export const kpiPanels = ['headline', 'immobilisation', 'sites', 'workload', 'trends', 'pipeline'] as const;
export type KpiPanelId = (typeof kpiPanels)[number];

export const kpiPanelTitles: Record<KpiPanelId, { fr: string; en: string }> = {
	headline: { fr: 'Indicateurs clés', en: 'Key figures' },
	immobilisation: { fr: "Durée d'immobilisation", en: 'Immobilisation time' },
	sites: { fr: 'Comparaison des sites', en: 'Site comparison' },
	workload: { fr: 'Charge des équipes', en: 'Team workload' },
	trends: { fr: 'Tendances sur 12 semaines', en: '12-week trends' },
	pipeline: { fr: 'Pipeline des ventes', en: 'Sales pipeline' }
};
