import { extractText, getDocumentProxy, renderPageAsImage } from 'unpdf';

/**
 * Reading rendered PDFs back, for tests and previews: their text, and a page as a PNG.
 * Not used to produce documents.
 */

/** All the text of a PDF, pages joined by a blank line. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
	// pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
	const pdf = await getDocumentProxy(bytes.slice());
	try {
		const { text } = await extractText(pdf, { mergePages: true });
		return text;
	} finally {
		await pdf.destroy();
	}
}

export async function pdfPageCount(bytes: Uint8Array): Promise<number> {
	const pdf = await getDocumentProxy(bytes.slice());
	try {
		return pdf.numPages;
	} finally {
		await pdf.destroy();
	}
}

/** Page `page` (from 1) as PNG bytes, `scale` × 72 dpi. */
export async function pdfPageToPng(bytes: Uint8Array, page = 1, scale = 1.5): Promise<Uint8Array> {
	polyfillTransferToFixedLength();
	await aliasSansSerif();
	const png = await renderPageAsImage(bytes.slice(), page, { canvasImport: () => import('@napi-rs/canvas'), scale });
	return new Uint8Array(png);
}

/**
 * pdf.js (as bundled by unpdf) serialises font data with `ArrayBuffer.prototype.transferToFixedLength`,
 * an ES2024 method Node ships from 22 on. On Node 20 every font load fails with
 * "o.transferToFixedLength is not a function" and pages render without text. This adds the
 * method, as specified, only where it is missing: a copy of the first `length` bytes (the
 * original is not detached, which no caller relies on).
 */
function polyfillTransferToFixedLength(): void {
	const proto = ArrayBuffer.prototype as ArrayBuffer & { transferToFixedLength?: (length?: number) => ArrayBuffer };
	if (typeof proto.transferToFixedLength === 'function') return;
	Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
		configurable: true,
		writable: true,
		value(this: ArrayBuffer, length: number = this.byteLength): ArrayBuffer {
			const copy = new ArrayBuffer(length);
			new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
			return copy;
		}
	});
}

/**
 * Documents use the standard Helvetica, which PDFs do not embed. Without pdf.js's standard font
 * files, pdf.js asks the canvas for "sans-serif", which @napi-rs/canvas does not resolve to a
 * sans font by itself; point it at one installed on the machine, if any, so previews look like
 * what a reader shows.
 */
async function aliasSansSerif(): Promise<void> {
	const { GlobalFonts } = await import('@napi-rs/canvas');
	if (GlobalFonts.has('sans-serif')) return;
	const family = ['Liberation Sans', 'Arimo', 'Helvetica', 'Arial', 'DejaVu Sans', 'Noto Sans'].find((name) => GlobalFonts.has(name));
	if (family) GlobalFonts.setAlias(family, 'sans-serif');
}
