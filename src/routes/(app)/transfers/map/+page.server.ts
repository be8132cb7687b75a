import { AVERAGE_KMH, parseTrackerQuery, trackedTransfers, trackerSites, transferEvents } from '$lib/server/transfers/tracker';
import { ROAD_FACTOR } from '$lib/server/transfers/route';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, depends, url }) => {
	// The same live keys as the list: a step taken anywhere redraws the map in place.
	depends('live:transfers', 'live:transfer_events');
	const user = locals.user!;
	const query = parseTrackerQuery(url.searchParams);
	return locals.db(async (sql) => {
		const transfers = await trackedTransfers(sql, query);
		const events = await transferEvents(
			sql,
			transfers.map((t) => t.id)
		);
		return {
			query,
			rule: { kmh: AVERAGE_KMH, roadFactor: ROAD_FACTOR },
			filterSites: user.sites.map((s) => ({ id: s.id, name: s.name })),
			sites: await trackerSites(sql),
			transfers: transfers.map((t) => ({ ...t, events: events.filter((e) => e.transferId === t.id) }))
		};
	});
};
