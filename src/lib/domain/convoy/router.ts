import createGraph, { type Graph } from 'ngraph.graph';
import { aStar } from 'ngraph.path';
import { haversineKm, type LatLon } from './geo';

/** Any network: points and undirected edges between their indices with a length in km. */
export type Network = { nodes: LatLon[]; edges: [from: number, to: number, km: number][] };

export type ShortestPath = { km: number; nodes: number[] };

export type Router = {
	/** The shortest path between two node indices, or null when they are not connected. */
	shortestPath(from: number, to: number): ShortestPath | null;
};

/**
 * A* over an ngraph graph with the great-circle distance as heuristic. It is admissible as
 * long as no edge is shorter than the straight line between its ends, which holds for lengths
 * measured along the ground.
 */
export function createRouter(network: Network): Router {
	const graph: Graph<LatLon, number> = createGraph();
	network.nodes.forEach((point, index) => graph.addNode(index, point));
	for (const [from, to, km] of network.edges) graph.addLink(from, to, km);

	const finder = aStar<LatLon, number>(graph, {
		distance: (_from, _to, link) => link.data,
		heuristic: (from, to) => haversineKm(from.data, to.data)
	});

	return {
		shortestPath(from, to) {
			if (!graph.hasNode(from) || !graph.hasNode(to)) return null;
			if (from === to) return { km: 0, nodes: [from] };
			// ngraph.path returns the path from the target back to the source.
			const found = finder.find(from, to).reverse();
			if (found.length === 0) return null;
			let km = 0;
			for (let i = 1; i < found.length; i++) {
				const link = graph.getLink(found[i - 1].id, found[i].id) ?? graph.getLink(found[i].id, found[i - 1].id);
				km += link?.data ?? 0;
			}
			return { km, nodes: found.map((node) => Number(node.id)) };
		}
	};
}
