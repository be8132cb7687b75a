import { describe, expect, it } from 'vitest';
import { haversineKm } from './geo';
import { createRouter, type Network } from './router';

// A small square with a diagonal: A(0) B(1) C(2) D(3), about 111 km per side at the equator,
// plus E(4) on an island with no edge.
const nodes = [
	{ lat: 0, lon: 0 },
	{ lat: 0, lon: 1 },
	{ lat: 1, lon: 1 },
	{ lat: 1, lon: 0 },
	{ lat: 5, lon: 5 }
];
const side = haversineKm(nodes[0], nodes[1]);

function network(edges: Network['edges']): Network {
	return { nodes, edges };
}

describe('createRouter', () => {
	it('takes the shorter of two ways round', () => {
		const router = createRouter(network([[0, 1, 100], [1, 2, 100], [0, 3, 150], [3, 2, 150]]));
		expect(router.shortestPath(0, 2)).toEqual({ km: 200, nodes: [0, 1, 2] });
		expect(router.shortestPath(2, 0)).toEqual({ km: 200, nodes: [2, 1, 0] });
	});

	it('prefers several short edges to one long one', () => {
		const router = createRouter(network([[0, 2, 400], [0, 3, side], [3, 2, side]]));
		const path = router.shortestPath(0, 2)!;
		expect(path.nodes).toEqual([0, 3, 2]);
		expect(path.km).toBeCloseTo(2 * side, 6);
	});

	it('finds the same lengths as an exhaustive search on a grid', () => {
		// 6×6 grid with irregular lengths, compared with Floyd–Warshall.
		const grid: { lat: number; lon: number }[] = [];
		for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) grid.push({ lat: 45 + y * 0.1, lon: 2 + x * 0.1 });
		const edges: Network['edges'] = [];
		grid.forEach((p, i) => {
			const x = i % 6;
			if (x < 5) edges.push([i, i + 1, haversineKm(p, grid[i + 1]) * (1 + ((i * 7) % 5) / 10)]);
			if (i + 6 < grid.length) edges.push([i, i + 6, haversineKm(p, grid[i + 6]) * (1 + ((i * 3) % 4) / 10)]);
		});
		const n = grid.length;
		const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
		for (const [a, b, km] of edges) d[a][b] = d[b][a] = Math.min(d[a][b], km);
		for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i][j] = Math.min(d[i][j], d[i][k] + d[k][j]);
		const router = createRouter({ nodes: grid, edges });
		for (const [a, b] of [[0, 35], [5, 30], [7, 28], [12, 17]]) expect(router.shortestPath(a, b)!.km).toBeCloseTo(d[a][b], 6);
	});

	it('answers null between unconnected nodes and for unknown ones', () => {
		const router = createRouter(network([[0, 1, 100]]));
		expect(router.shortestPath(0, 4)).toBeNull();
		expect(router.shortestPath(0, 99)).toBeNull();
		expect(router.shortestPath(1, 1)).toEqual({ km: 0, nodes: [1] });
	});
});
