import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createRouter, type Router } from '../../domain/convoy/router';
import { foldName } from '../../domain/convoy/geo';

export const NETWORK_FILE = path.join(process.cwd(), 'data', 'convoy', 'network.json.gz');

export type Commune = {
	insee: string;
	name: string;
	postcodes: string[];
	lat: number;
	lon: number;
	population: number;
	/** foldName(name), for accent-insensitive search. */
	folded: string;
};

export type LoadedNetwork = {
	communes: Commune[];
	byInsee: Map<string, number>;
	router: Router;
	loadMs: number;
};

type NetworkFile = {
	communes: [insee: string, name: string, postcodes: string, lat: number, lon: number, population: number][];
	edges: number[];
};

export function parseNetwork(gzipped: Buffer): Omit<LoadedNetwork, 'loadMs'> {
	const file = JSON.parse(gunzipSync(gzipped).toString('utf8')) as NetworkFile;
	const communes = file.communes.map(([insee, name, postcodes, lat, lon, population]) => ({
		insee,
		name,
		postcodes: postcodes ? postcodes.split(' ') : [],
		lat: lat / 1e5,
		lon: lon / 1e5,
		population,
		folded: foldName(name)
	}));
	const edges: [number, number, number][] = [];
	for (let i = 0; i < file.edges.length; i += 3) {
		edges.push([file.edges[i], file.edges[i + 1], file.edges[i + 2] / 1000]);
	}
	return {
		communes,
		byInsee: new Map(communes.map((c, index) => [c.insee, index])),
		router: createRouter({ nodes: communes, edges })
	};
}

let loaded: LoadedNetwork | undefined;

/** Read once, on the first quote or search, then kept in memory (≈ 8,000 nodes). */
export function network(): LoadedNetwork {
	if (!loaded) {
		const started = performance.now();
		const parsed = parseNetwork(readFileSync(NETWORK_FILE));
		loaded = { ...parsed, loadMs: performance.now() - started };
	}
	return loaded;
}
