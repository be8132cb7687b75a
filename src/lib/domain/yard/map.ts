/**
 * The yard map's shapes and rules, shared by the server query and the map component:
 * zones and bays travel as one GeoJSON FeatureCollection, vehicles as a light list keyed by bay.
 */

export const zoneKinds = ['reception', 'wash', 'workshop', 'bodywork', 'parking', 'ready'] as const;
export type ZoneKind = (typeof zoneKinds)[number];

export const vehicleStatuses = ['expected', 'on_site', 'in_service', 'ready', 'in_transit', 'delivered', 'in_stock', 'reserved', 'sold'] as const;
export type VehicleStatus = (typeof vehicleStatuses)[number];

/** A closed ring of [longitude, latitude] pairs, as GeoJSON puts a Polygon. */
export interface Polygon {
	type: 'Polygon';
	coordinates: [number, number][][];
}

export interface ZoneProperties {
	layer: 'zone';
	id: string;
	code: string;
	name: string;
	kind: ZoneKind;
}

export interface BayProperties {
	layer: 'bay';
	id: string;
	number: string;
	zoneId: string;
}

export interface LayoutFeature<P = ZoneProperties | BayProperties> {
	type: 'Feature';
	properties: P;
	geometry: Polygon;
}

export interface Layout {
	type: 'FeatureCollection';
	features: LayoutFeature[];
}

export interface YardVehicle {
	id: string;
	bayId: string;
	plate: string | null;
	vin: string;
	label: string;
	status: VehicleStatus;
	clientId: string | null;
}

export interface YardClient {
	id: string;
	name: string;
	colour: string;
}

/** What the map's side sheet says about one vehicle. */
export interface VehicleCard {
	id: string;
	plate: string | null;
	vin: string;
	make: string;
	model: string;
	colour: string | null;
	status: VehicleStatus;
	client: string | null;
	bay: string | null;
	zone: string | null;
	orders: { id: string; reference: string; deadline: string }[];
	openTasks: { id: string; service: string; status: 'todo' | 'planned' | 'in_progress'; plannedOn: string | null }[];
	lastInspectionAt: Date | null;
	/** Its report (état des lieux or delivery report) is served at /files/inspections/<id>. */
	lastInspectionId: string | null;
	photos: number;
}

export interface ZoneOccupancy {
	id: string;
	code: string;
	name: string;
	kind: ZoneKind;
	bays: number;
	occupied: number;
	free: number;
}

/** Fill colours of zones by kind: light, so bays and vehicles stand out on them. */
export const zoneColours: Record<ZoneKind, string> = {
	reception: '#dbeafe',
	wash: '#cffafe',
	workshop: '#fef3c7',
	bodywork: '#fee2e2',
	parking: '#e5e7eb',
	ready: '#dcfce7'
};

/** Vehicle colours by status, the same hues as the status pills elsewhere in the app. */
export const statusColours: Record<VehicleStatus, string> = {
	expected: '#94a3b8',
	on_site: '#2563eb',
	in_service: '#d97706',
	ready: '#16a34a',
	in_transit: '#7c3aed',
	delivered: '#475569',
	in_stock: '#0891b2',
	reserved: '#db2777',
	sold: '#111827'
};

/** Dealer stock has no client: it is drawn in this neutral colour when colouring by client. */
export const ownStockColour = '#64748b';

export const zones = (layout: Layout) =>
	layout.features.filter((f): f is LayoutFeature<ZoneProperties> => f.properties.layer === 'zone');
export const bays = (layout: Layout) => layout.features.filter((f): f is LayoutFeature<BayProperties> => f.properties.layer === 'bay');

/** Bays and free bays per zone, in the layout's order (which follows the walk from the entrance). */
export function occupancy(layout: Layout, vehicles: Pick<YardVehicle, 'bayId'>[]): ZoneOccupancy[] {
	const taken = new Set(vehicles.map((v) => v.bayId));
	const counts = new Map<string, { bays: number; occupied: number }>();
	for (const bay of bays(layout)) {
		const c = counts.get(bay.properties.zoneId) ?? { bays: 0, occupied: 0 };
		c.bays += 1;
		if (taken.has(bay.properties.id)) c.occupied += 1;
		counts.set(bay.properties.zoneId, c);
	}
	return zones(layout).map(({ properties: z }) => {
		const c = counts.get(z.id) ?? { bays: 0, occupied: 0 };
		return { id: z.id, code: z.code, name: z.name, kind: z.kind, bays: c.bays, occupied: c.occupied, free: c.bays - c.occupied };
	});
}

/** The centre of a polygon's outer ring (its vertices' mean; bays are convex quadrilaterals). */
export function centroid(polygon: Polygon): [number, number] {
	const ring = polygon.coordinates[0];
	const points = ring.length > 1 && ring[0][0] === ring.at(-1)![0] && ring[0][1] === ring.at(-1)![1] ? ring.slice(0, -1) : ring;
	const [x, y] = points.reduce(([sx, sy], [px, py]) => [sx + px, sy + py], [0, 0]);
	return [x / points.length, y / points.length];
}

/** The bounding box [west, south, east, north] of every feature, to frame the map. */
export function bounds(layout: Layout): [number, number, number, number] | null {
	let box: [number, number, number, number] | null = null;
	for (const f of layout.features)
		for (const [x, y] of f.geometry.coordinates[0]) {
			box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y];
		}
	return box;
}

/** Bay numbers as people type them: case and surrounding spaces do not matter. */
export const normaliseBayNumber = (input: string) => input.trim().toUpperCase();

/** Plates as people type them: "ab 123 cd" finds AB-123-CD. */
export const normalisePlate = (input: string) => input.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** The vehicle whose plate (or VIN end) best matches what was typed: exact first, then contained. */
export function findVehicle<V extends Pick<YardVehicle, 'plate' | 'vin'>>(vehicles: V[], query: string): V | undefined {
	const q = normalisePlate(query);
	if (q.length < 2) return undefined;
	const plate = (v: V) => normalisePlate(v.plate ?? '');
	return (
		vehicles.find((v) => plate(v) === q) ??
		vehicles.find((v) => plate(v).includes(q)) ??
		(q.length >= 4 ? vehicles.find((v) => v.vin.endsWith(q)) : undefined)
	);
}
