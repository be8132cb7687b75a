/**
 * Damage points on the top view of a car the gate screens draw: where a tap lands (x, y from 0
 * to 1, front of the car at the top) names the part, so a report reads "aile avant gauche" and
 * not coordinates. Pure, shared by the diagram and the server's validation.
 */

export const damageKinds = ['scratch', 'dent', 'chip', 'scuff', 'crack', 'missing'] as const;
export type DamageKind = (typeof damageKinds)[number];

export const damageZones = [
	'front_bumper',
	'bonnet',
	'windscreen',
	'front_left',
	'front_right',
	'front_left_wheel',
	'front_right_wheel',
	'left_doors',
	'right_doors',
	'roof',
	'rear_left',
	'rear_right',
	'rear_left_wheel',
	'rear_right_wheel',
	'rear_window',
	'boot',
	'rear_bumper'
] as const;
export type DamageZone = (typeof damageZones)[number];

export interface DamagePoint {
	x: number;
	y: number;
	zone: DamageZone;
	kind: DamageKind;
	/** 1 light, 2 visible, 3 to repair before delivery. */
	severity: 1 | 2 | 3;
	note?: string;
}

// Bands along the car's length (top to bottom of the diagram) and, inside each, left | centre | right.
const bands: Array<{ until: number; left: DamageZone; centre: DamageZone; right: DamageZone }> = [
	{ until: 0.1, left: 'front_bumper', centre: 'front_bumper', right: 'front_bumper' },
	{ until: 0.27, left: 'front_left', centre: 'bonnet', right: 'front_right' },
	{ until: 0.35, left: 'front_left_wheel', centre: 'windscreen', right: 'front_right_wheel' },
	{ until: 0.63, left: 'left_doors', centre: 'roof', right: 'right_doors' },
	{ until: 0.72, left: 'rear_left_wheel', centre: 'rear_window', right: 'rear_right_wheel' },
	{ until: 0.9, left: 'rear_left', centre: 'boot', right: 'rear_right' },
	{ until: Infinity, left: 'rear_bumper', centre: 'rear_bumper', right: 'rear_bumper' }
];

/** The part under a point of the diagram (the car's left is the diagram's left: seen from above). */
export function zoneAt(x: number, y: number): DamageZone {
	const band = bands.find((b) => y < b.until) ?? bands[bands.length - 1];
	if (x < 0.3) return band.left;
	if (x > 0.7) return band.right;
	return band.centre;
}

/** Where the keyboard path (a part chosen from a list) puts its point: the middle of the part. */
export function zoneCentre(zone: DamageZone): { x: number; y: number } {
	const index = bands.findIndex((b) => b.left === zone || b.centre === zone || b.right === zone);
	const from = index === 0 ? 0 : bands[index - 1].until;
	const to = Math.min(bands[index].until, 1);
	const band = bands[index];
	const x = band.centre === zone ? 0.5 : band.left === zone ? 0.15 : 0.85;
	return { x, y: Math.round(((from + to) / 2) * 1000) / 1000 };
}
