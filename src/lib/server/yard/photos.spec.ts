import { describe, expect, it } from 'vitest';
import { YardError } from './errors';
import { namePhotos } from './photos';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

describe('namePhotos', () => {
	it('names each photo afresh with the extension of its type', () => {
		const [a, b] = namePhotos(
			[
				{ type: 'image/png', size: png.byteLength, bytes: png },
				{ type: 'image/jpeg', size: jpeg.byteLength, bytes: jpeg }
			],
			'fr'
		);
		expect(a.name).toMatch(/^[0-9a-f-]{36}\.png$/);
		expect(b).toMatchObject({ type: 'image/jpeg', size: 6 });
		expect(b.name).toMatch(/\.jpg$/);
	});

	it('refuses bytes that are not the image type declared, on the photo’s own field', () => {
		let err: unknown;
		try {
			namePhotos([{ type: 'image/jpeg', size: png.byteLength, bytes: png }], 'en');
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(YardError);
		expect((err as YardError).errors).toEqual({ 'photos.0': ['Unreadable or too large photo.'] });
	});
});
