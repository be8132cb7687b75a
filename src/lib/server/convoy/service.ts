import { foldName } from '../../domain/convoy/geo';
import { quoteConvoy, type ConvoyQuote, type ConvoyTariff, type QuoteRequest } from '../../domain/convoy/tariff';
import { network, type Commune } from './network';

/**
 * The commune-to-commune graph follows the ground but not the roads: its path length is
 * multiplied by this factor, calibrated on road distances of six pairs distinct from the ones
 * the tests check (data/convoy/README.md).
 */
export const DETOUR_FACTOR = 1.12;

export type CommuneOption = { insee: string; name: string; postcodes: string[]; population: number };

export type ConvoyRoute = {
	km: number;
	/** [longitude, latitude] pairs from departure to arrival, one per commune passed. */
	coordinates: [number, number][];
	ms: number;
};

export type ConvoyQuoteResult =
	| { ok: true; from: CommuneOption; to: CommuneOption; route: ConvoyRoute; quote: ConvoyQuote }
	| { ok: false; error: 'unknown_from' | 'unknown_to' | 'no_route' };

const option = (c: Commune): CommuneOption => ({ insee: c.insee, name: c.name, postcodes: c.postcodes, population: c.population });

/**
 * Communes whose name (accents and hyphens ignored) or postcode starts with the query, or
 * whose name has a word starting with it, the most populated first.
 */
export function searchCommunes(query: string, limit = 8): CommuneOption[] {
	const folded = foldName(query);
	if (!folded) return [];
	const digits = /^\d+$/.test(folded);
	const scored: { c: Commune; rank: number }[] = [];
	for (const c of network().communes) {
		if (digits) {
			if (c.postcodes.some((p) => p.startsWith(folded)) || c.insee.startsWith(folded)) scored.push({ c, rank: 0 });
		} else if (c.folded.startsWith(folded)) scored.push({ c, rank: c.folded === folded ? -1 : 0 });
		else if (c.folded.includes(` ${folded}`)) scored.push({ c, rank: 1 });
	}
	return scored
		.sort((a, b) => a.rank - b.rank || b.c.population - a.c.population)
		.slice(0, limit)
		.map(({ c }) => option(c));
}

export function communeByInsee(insee: string): CommuneOption | null {
	const net = network();
	const index = net.byInsee.get(insee);
	return index === undefined ? null : option(net.communes[index]);
}

/** The estimated road distance between two communes, or null when no land link joins them. */
export function routeBetweenCommunes(fromInsee: string, toInsee: string): ConvoyRoute | null {
	const net = network();
	const from = net.byInsee.get(fromInsee);
	const to = net.byInsee.get(toInsee);
	if (from === undefined || to === undefined) return null;
	const started = performance.now();
	const path = net.router.shortestPath(from, to);
	if (!path) return null;
	return {
		km: Math.round(path.km * DETOUR_FACTOR * 10) / 10,
		coordinates: path.nodes.map((i) => [net.communes[i].lon, net.communes[i].lat]),
		ms: performance.now() - started
	};
}

export function quoteBetweenCommunes(request: QuoteRequest, tariff: ConvoyTariff): ConvoyQuoteResult {
	const from = communeByInsee(request.from);
	if (!from) return { ok: false, error: 'unknown_from' };
	const to = communeByInsee(request.to);
	if (!to) return { ok: false, error: 'unknown_to' };
	const route = routeBetweenCommunes(request.from, request.to);
	if (!route) return { ok: false, error: 'no_route' };
	return { ok: true, from, to, route, quote: quoteConvoy({ km: route.km, category: request.category, tariff }) };
}
