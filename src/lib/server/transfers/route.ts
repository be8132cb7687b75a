/**
 * The road between two points, as the tracker draws it and times it. For now an estimate: the
 * great-circle distance times a road factor of 1.3 (French road distances run 1.2 to 1.4 times
 * the straight line), drawn as a straight line. A road router replaces this one function; its
 * callers take `km` and `coordinates` as they come.
 */

export interface LatLon {
	lat: number;
	lon: number;
}

export interface Route {
	km: number;
	/** [longitude, latitude] pairs, GeoJSON order, from the start to the end. */
	coordinates: [number, number][];
}

const EARTH_RADIUS_KM = 6371;
export const ROAD_FACTOR = 1.3;

export function routeBetween(from: LatLon, to: LatLon): Route {
	const rad = Math.PI / 180;
	const dLat = (to.lat - from.lat) * rad;
	const dLon = (to.lon - from.lon) * rad;
	const a = Math.sin(dLat / 2) ** 2 + Math.cos(from.lat * rad) * Math.cos(to.lat * rad) * Math.sin(dLon / 2) ** 2;
	const greatCircle = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
	return {
		km: Math.round(greatCircle * ROAD_FACTOR * 10) / 10,
		coordinates: [
			[from.lon, from.lat],
			[to.lon, to.lat]
		]
	};
}
