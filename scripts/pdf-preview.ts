/**
 * Renders a sample of every document kind and writes page 1 of each as
 * `tests/screenshots/pdf-<kind>.png`, to look at the layout without a PDF reader.
 *
 *   npx tsx scripts/pdf-preview.ts            all kinds, in French
 *   npx tsx scripts/pdf-preview.ts en invoice only the English invoice
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { DOCUMENT_KINDS, type DocumentKind, type Locale } from '../src/lib/server/documents/model';
import { pdfPageCount, pdfPageToPng } from '../src/lib/server/documents/pdf-text';
import { renderDocument } from '../src/lib/server/documents/render';
import { sampleModel } from '../src/lib/server/documents/render/samples';

const args = process.argv.slice(2);
const locale: Locale = args.includes('en') ? 'en' : 'fr';
const kinds = DOCUMENT_KINDS.filter((kind) => !args.some((a) => DOCUMENT_KINDS.includes(a as DocumentKind)) || args.includes(kind));

const dir = new URL('../tests/screenshots/', import.meta.url);
await mkdir(dir, { recursive: true });
for (const kind of kinds) {
	const pdf = await renderDocument(sampleModel(kind, { locale }));
	const file = new URL(`pdf-${kind}.png`, dir);
	await writeFile(file, await pdfPageToPng(pdf, 1, 1.5));
	console.log(`${file.pathname}  (${await pdfPageCount(pdf)} page(s), ${Math.round(pdf.length / 1024)} kB)`);
}
