import { z } from 'zod';
import { normaliseVehicleRef } from '../orders/vehicle-input';
import { damageKinds, damageZones } from './damage';

/**
 * What the gate screens send: a gate-in, a gate-out, a bay move. Validated by the server at its
 * boundary (and by the phone before it queues an action), in the reader's language.
 */

// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
const id = z.guid();

/** Photos as the phone sends them once resized: JPEG (or PNG, WebP), a few hundred KB. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
export const MAX_PHOTOS = 8;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** The longer side of a photo after the phone resized it. */
export const PHOTO_MAX_SIDE = 1600;

export const energies = ['petrol', 'diesel', 'hybrid', 'plugin_hybrid', 'electric', 'lpg'] as const;

const vin = z
	.string()
	.trim()
	.transform((v) => v.toUpperCase().replace(/[\s-]+/g, ''))
	.pipe(z.string().regex(/^[A-HJ-NPR-Z0-9]{17}$/));

// French plates take their canonical form (AB-123-CD); others are kept as typed, compacted.
const plate = z
	.string()
	.trim()
	.transform((v) => {
		const ref = normaliseVehicleRef(v);
		return ref?.kind === 'plate' ? ref.value : v.toUpperCase().replace(/\s+/g, '-');
	})
	.pipe(z.string().regex(/^[A-Z0-9-]{4,12}$/));

export const damageSchema = z.strictObject({
	x: z.number().min(0).max(1),
	y: z.number().min(0).max(1),
	zone: z.enum(damageZones),
	kind: z.enum(damageKinds),
	severity: z.union([z.literal(1), z.literal(2), z.literal(3)]),
	note: z.string().trim().max(200).optional()
});

export const photoSchema = z.object({
	type: z.enum(PHOTO_TYPES),
	size: z.number().int().min(1).max(MAX_PHOTO_BYTES),
	bytes: z.instanceof(Uint8Array)
});
export type UploadedPhoto = z.infer<typeof photoSchema>;

const inspection = {
	mileageKm: z.number().int().min(0).max(2_000_000).optional(),
	energyPercent: z.number().int().min(0).max(100).optional(),
	damages: z.array(damageSchema).max(40).default([]),
	comments: z.string().trim().max(2000).optional(),
	photos: z.array(photoSchema).max(MAX_PHOTOS).default([]),
	// Chosen by the phone per submission (crypto.randomUUID()), so a replay is recognised.
	idempotencyKey: id
};

export const gateInSchema = z
	.strictObject({
		siteId: id,
		vin: vin.optional(),
		plate: plate.optional(),
		// Only for a vehicle the site does not know yet.
		make: z.string().trim().min(1).max(60).optional(),
		model: z.string().trim().min(1).max(60).optional(),
		energy: z.enum(energies).optional(),
		clientAccountId: id.optional(),
		// Null or absent: the suggested bay.
		bayId: id.nullable().optional(),
		...inspection
	})
	.refine((v) => v.vin || v.plate, { path: ['plate'], message: 'plate or VIN' });
export type GateInInput = z.input<typeof gateInSchema>;

export const gateOutSchema = z.strictObject({
	vehicleId: id,
	orderId: id.optional(),
	...inspection
});
export type GateOutInput = z.input<typeof gateOutSchema>;

export const moveSchema = z.strictObject({
	vehicleId: id,
	bayId: id,
	idempotencyKey: id.optional()
});
export type MoveInput = z.input<typeof moveSchema>;

export const flagSchema = z.strictObject({
	taskId: id,
	// Null clears the flag.
	reason: z.string().trim().min(1).max(500).nullable()
});

/** The size of a photo resized so that its longer side is at most `maxSide` (never enlarged). */
export function fitWithin(width: number, height: number, maxSide = PHOTO_MAX_SIDE): { width: number; height: number } {
	const scale = Math.min(1, maxSide / Math.max(width, height));
	return { width: Math.round(width * scale), height: Math.round(height * scale) };
}
