import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { network, NETWORK_FILE } from '$lib/server/convoy/network';
import { routeBetweenCommunes, searchCommunes } from '$lib/server/convoy/service';

/**
 * The shipped network against shortest-route road distances between city halls as the usual
 * route planners give them (ViaMichelin / Google Maps, shortest car route, rounded), within
 * ±15 %. None of these pairs was used to calibrate the detour factor.
 */
const REFERENCE: [from: string, to: string, label: string, km: number][] = [
	['75056', '69123', 'Paris → Lyon', 465],
	['69123', '13055', 'Lyon → Marseille', 315],
	['33063', '31555', 'Bordeaux → Toulouse', 245],
	['59350', '75056', 'Lille → Paris', 225]
];
const TOLERANCE = 0.15;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

describe('the shipped convoy network', () => {
	it('loads in memory once', () => {
		const net = network();
		expect(net.communes.length).toBeGreaterThan(8000);
		expect(network()).toBe(net);
		console.log(`network: ${(statSync(NETWORK_FILE).size / 1024).toFixed(0)} KiB gzipped, ${net.communes.length} communes, loaded in ${net.loadMs.toFixed(0)} ms`);
	});

	it.each(REFERENCE)('%s → %s (%s): within 15 percent of %i km by road', (from, to, _label, km) => {
		const route = routeBetweenCommunes(from, to)!;
		console.log(`${_label}: ${route.km} km (reference ${km}, ${(((route.km - km) / km) * 100).toFixed(1)} %), ${route.ms.toFixed(1)} ms`);
		expect(route.km).toBeGreaterThan(km * (1 - TOLERANCE));
		expect(route.km).toBeLessThan(km * (1 + TOLERANCE));
		expect(route.coordinates.length).toBeGreaterThan(2);
	});

	it('does not drive to Corsica', () => {
		expect(routeBetweenCommunes('13055', '2A004')).toBeNull();
	});

	it('answers a query well under a second, even the slowest of 200 random pairs', () => {
		const { communes } = network();
		let seed = 42;
		const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const times: number[] = [];
		let unreachable = 0;
		for (let i = 0; i < 200; i++) {
			const a = communes[Math.floor(random() * communes.length)].insee;
			const b = communes[Math.floor(random() * communes.length)].insee;
			const started = performance.now();
			if (!routeBetweenCommunes(a, b)) unreachable++;
			times.push(performance.now() - started);
		}
		times.sort((x, y) => x - y);
		console.log(`200 random pairs: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms, ${unreachable} without a land link`);
		expect(percentile(times, 95)).toBeLessThan(250);
		expect(unreachable).toBeLessThan(10);
	});

	it('finds communes by the start of their name, accents ignored, the largest first', () => {
		expect(searchCommunes('saint eti', 3)[0]).toMatchObject({ insee: '42218', name: 'Saint-Étienne' });
		expect(searchCommunes('lyon', 1)[0]).toMatchObject({ insee: '69123' });
		expect(searchCommunes('69007', 5).map((c) => c.insee)).toContain('69123');
	});
});
