import { fitWithin, PHOTO_MAX_SIDE } from '$lib/domain/yard/gate';

/**
 * A camera photo made small enough to send from the yard: the longer side at most 1600 px,
 * re-encoded as JPEG (which also drops the EXIF block with its GPS position).
 */
export async function resizePhoto(file: Blob, quality = 0.82): Promise<Blob> {
	const bitmap = await createImageBitmap(file);
	const { width, height } = fitWithin(bitmap.width, bitmap.height, PHOTO_MAX_SIDE);
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	canvas.getContext('2d')!.drawImage(bitmap, 0, 0, width, height);
	bitmap.close();
	return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('photo encoding failed'))), 'image/jpeg', quality));
}
