import type PDFDocument from 'pdfkit';
import { pdfSafe } from './format';

/** Geometry and drawing primitives shared by every section: A4 in points, one column of content. */

/** pdfkit's default export is typed as the document itself (constructor and instance in one). */
export type Doc = typeof PDFDocument;

export const PAGE = { width: 595.28, height: 841.89 } as const;
export const MARGIN_X = 48;
export const TOP = 60;
/** Content stops here; below is the footer, drawn once all pages exist. */
export const CONTENT_BOTTOM = PAGE.height - 92;
export const CONTENT_WIDTH = PAGE.width - 2 * MARGIN_X;
export const RIGHT = PAGE.width - MARGIN_X;

export const COLOR = {
	ink: '#1f2933',
	muted: '#6b7280',
	rule: '#d8dde3',
	faint: '#eef1f5',
	accent: '#1e3a5f',
	draft: '#b42318'
} as const;

export const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' } as const;

export interface TextStyle {
	size?: number;
	font?: string;
	color?: string;
}

export function style(doc: Doc, { size = 9, font = FONT.regular, color = COLOR.ink }: TextStyle = {}): Doc {
	return doc.font(font).fontSize(size).fillColor(color);
}

/** Writes `text` at a fixed place, without moving the flow; returns the height it took. */
export function place(doc: Doc, text: string, x: number, y: number, width: number, options: TextStyle & { align?: 'left' | 'right' | 'center' } = {}): number {
	style(doc, options);
	const safe = pdfSafe(text);
	const height = doc.heightOfString(safe, { width });
	doc.text(safe, x, y, { width, align: options.align ?? 'left', lineGap: 0 });
	return height;
}

export function measure(doc: Doc, text: string, width: number, options: TextStyle = {}): number {
	style(doc, options);
	return doc.heightOfString(pdfSafe(text), { width });
}

/** Starts a new page when fewer than `height` points are left, so a block is not split. */
export function ensureSpace(doc: Doc, height: number): void {
	if (doc.y + height > CONTENT_BOTTOM) {
		doc.addPage();
		doc.x = MARGIN_X;
		doc.y = TOP;
	}
}

/** A paragraph in the flow; pdfkit carries it over to the next page when it is long. */
export function paragraph(doc: Doc, text: string, options: TextStyle & { gapAfter?: number } = {}): void {
	if (!text.trim()) return;
	const safe = pdfSafe(text.trim());
	style(doc, options);
	// A short paragraph moves whole to the next page; a long one starts here and flows on.
	const height = doc.heightOfString(safe, { width: CONTENT_WIDTH, lineGap: 1.5 });
	ensureSpace(doc, height <= 160 ? height : 24);
	style(doc, options);
	doc.text(safe, MARGIN_X, doc.y, { width: CONTENT_WIDTH, lineGap: 1.5 });
	doc.x = MARGIN_X;
	doc.y += options.gapAfter ?? 10;
}

/** A section title with a hairline under it, kept on the page of what follows. */
export function heading(doc: Doc, text: string, keepWith = 40): void {
	ensureSpace(doc, 22 + keepWith);
	const y = doc.y;
	place(doc, text, MARGIN_X, y, CONTENT_WIDTH, { size: 10.5, font: FONT.bold, color: COLOR.accent });
	doc.moveTo(MARGIN_X, y + 15).lineTo(RIGHT, y + 15).lineWidth(0.6).strokeColor(COLOR.rule).stroke();
	doc.x = MARGIN_X;
	doc.y = y + 22;
}

export interface Column {
	header: string;
	width: number;
	align?: 'left' | 'right';
}

export interface Row {
	cells: string[];
	/** A second, smaller line under the first cell (plate · VIN under a description). */
	detail?: string | null;
}

const CELL_PAD_X = 5;
const CELL_PAD_Y = 5;
const BODY = { size: 8.5 } as const;
const DETAIL = { size: 7.5, color: COLOR.muted } as const;

function headerRow(doc: Doc, columns: Column[]): void {
	const y = doc.y;
	const height = 18;
	doc.rect(MARGIN_X, y, CONTENT_WIDTH, height).fill(COLOR.faint);
	let x = MARGIN_X;
	for (const column of columns) {
		place(doc, column.header, x + CELL_PAD_X, y + 5.5, column.width - 2 * CELL_PAD_X, {
			size: 7.5,
			font: FONT.bold,
			color: COLOR.accent,
			align: column.align
		});
		x += column.width;
	}
	doc.y = y + height;
}

function rowHeight(doc: Doc, columns: Column[], row: Row): number {
	let height = 0;
	columns.forEach((column, i) => {
		const width = column.width - 2 * CELL_PAD_X;
		let cell = measure(doc, row.cells[i] ?? '', width, BODY);
		if (i === 0 && row.detail) cell += 2 + measure(doc, row.detail, width, DETAIL);
		height = Math.max(height, cell);
	});
	return height + 2 * CELL_PAD_Y;
}

/**
 * A table that breaks across pages row by row, repeating its header row at the top of each
 * new page so a long invoice stays readable on its own. The last row keeps `keepWithLast`
 * points free under it, so a totals block never sits alone on a page.
 */
export function table(doc: Doc, columns: Column[], rows: Row[], keepWithLast = 0): void {
	ensureSpace(doc, 18 + (rows.length ? rowHeight(doc, columns, rows[0]) : 0));
	headerRow(doc, columns);
	rows.forEach((row, index) => {
		const height = rowHeight(doc, columns, row);
		const reserve = index === rows.length - 1 ? keepWithLast + 14 : 0;
		if (doc.y + height + reserve > CONTENT_BOTTOM && doc.y > TOP + 18) {
			doc.addPage();
			doc.y = TOP;
			headerRow(doc, columns);
		}
		const y = doc.y;
		let x = MARGIN_X;
		columns.forEach((column, i) => {
			const width = column.width - 2 * CELL_PAD_X;
			const used = place(doc, row.cells[i] ?? '', x + CELL_PAD_X, y + CELL_PAD_Y, width, { ...BODY, align: column.align });
			if (i === 0 && row.detail) place(doc, row.detail, x + CELL_PAD_X, y + CELL_PAD_Y + used + 2, width, DETAIL);
			x += column.width;
		});
		doc.moveTo(MARGIN_X, y + height).lineTo(RIGHT, y + height).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
		doc.y = y + height;
	});
	doc.x = MARGIN_X;
	doc.y += 14;
}

interface OpenedImage {
	width: number;
	height: number;
}

/** The decoded image, or null when the bytes are not a PNG or JPEG pdfkit can read. */
export function openImage(doc: Doc, bytes: Uint8Array): OpenedImage | null {
	// pdfkit's `openImage` is public but missing from @types/pdfkit.
	const opener = doc as unknown as { openImage(src: Buffer): OpenedImage };
	try {
		return opener.openImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
	} catch {
		return null;
	}
}

/** Draws an opened image scaled to fit a box, centred in it; returns the drawn size. */
export function drawImage(doc: Doc, image: OpenedImage, x: number, y: number, maxWidth: number, maxHeight: number, align: 'left' | 'center' = 'center') {
	const scale = Math.min(maxWidth / image.width, maxHeight / image.height, 1);
	const width = image.width * scale;
	const height = image.height * scale;
	const left = align === 'center' ? x + (maxWidth - width) / 2 : x;
	doc.image(image as unknown as Buffer, left, y + (align === 'center' ? (maxHeight - height) / 2 : 0), { width, height });
	return { width, height };
}
