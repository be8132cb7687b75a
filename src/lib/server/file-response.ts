/**
 * A private file answered to the person who asked: never cached by a proxy, never sniffed into
 * another type. `inline` only for what Relais produced itself (its PDFs); anything uploaded or
 * meant for another program is an attachment.
 */
export function fileResponse(
	body: Uint8Array | string,
	file: { contentType: string; fileName: string; disposition: 'inline' | 'attachment' }
): Response {
	const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
	return new Response(bytes as unknown as BodyInit, {
		headers: {
			'content-type': file.contentType,
			'content-length': String(bytes.byteLength),
			'content-disposition': `${file.disposition}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
}
