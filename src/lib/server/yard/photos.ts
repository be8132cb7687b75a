import { randomUUID } from 'node:crypto';
import type { PhotoType, UploadedPhoto } from '$lib/domain/yard/gate';
import type { Sql } from '$lib/server/db/pool';
import type { Storage } from '$lib/server/storage';
import { YardError, yardTexts, type Locale } from './errors';

/**
 * Inspection photos. The server names each one (a UUID), the gate functions file it under
 * yard/<site>/<vehicle>/ in the inspection row, and the bytes are stored under that key before
 * the transaction commits. Reading one goes through the inspection row, read as the person.
 */

const extensions: Record<PhotoType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

// The first bytes of each accepted type: the declared type alone is the browser's word.
const signatures: Record<PhotoType, (b: Uint8Array) => boolean> = {
	'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
	'image/png': (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
	'image/webp': (b) => String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP'
};

export interface PhotoRecord {
	key: string;
	type: PhotoType;
	size: number;
}

/** What the gate functions are told about the photos: a fresh name per photo, its type and size. */
export function namePhotos(photos: UploadedPhoto[], locale: Locale): Array<{ name: string; type: PhotoType; size: number }> {
	return photos.map((p, i) => {
		if (p.bytes.byteLength !== p.size || !signatures[p.type](p.bytes)) throw new YardError(400, 'invalid', { [`photos.${i}`]: [yardTexts.photo(locale)] });
		return { name: `${randomUUID()}.${extensions[p.type]}`, type: p.type, size: p.size };
	});
}

/** Stores the bytes under the keys the inspection recorded, in the order sent. */
export async function storePhotos(store: Storage, photos: UploadedPhoto[], recorded: PhotoRecord[]): Promise<void> {
	for (const [i, p] of photos.entries()) await store.put(recorded[i].key, p.bytes, p.type);
}

/**
 * A photo the person may see, or null: an inspection they can read (RLS) names the key, and the
 * key lies under that inspection's own site and vehicle (a key copied into another site's
 * inspection opens nothing).
 */
export async function readablePhoto(sql: Sql, key: string): Promise<{ key: string; type: PhotoType } | null> {
	const { rows } = await sql.query<{ photo: PhotoRecord }>(
		`select p as photo from public.inspections i, jsonb_array_elements(i.photos) p
		 where i.photos @> jsonb_build_array(jsonb_build_object('key', $1::text))
		   and p ->> 'key' = $1 and starts_with($1, 'yard/' || i.site_id || '/' || i.vehicle_id || '/')
		 limit 1`,
		[key]
	);
	return rows[0] ? { key, type: rows[0].photo.type } : null;
}
