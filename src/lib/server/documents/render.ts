import PDFDocument from 'pdfkit';
import type { DocumentModel } from './model';
import { parseIsoDate, pdfSafe } from './render/format';
import { LABELS, SIGNATORIES } from './render/labels';
import { COLOR, CONTENT_BOTTOM, FONT, MARGIN_X, PAGE, TOP, heading, paragraph } from './render/layout';
import { damages, header, lines, pageFurniture, photos, route, signatures, totals, totalsHeight, vehicles, type Section } from './render/sections';
import { mergeTexts } from './templates';

/** Reports where the state of the vehicle is the point: they always say whether damage was found. */
const CONDITION_REPORTS = new Set(['delivery_report', 'inspection_report']);

/**
 * Lays a document out on A4 pages and returns the PDF bytes. Pure: the same model gives the
 * same bytes (the creation date is the issue date, and nothing else in the file varies), so a
 * document can be re-rendered from its stored model instead of storing every PDF.
 */
export async function renderDocument(model: DocumentModel): Promise<Uint8Array> {
	const issued = parseIsoDate(model.issuedOn);
	if (!issued) throw new Error(`issuedOn must be an ISO date (yyyy-mm-dd), got "${model.issuedOn}"`);
	const texts = mergeTexts(model.kind, model.locale, model.texts);
	const labels = LABELS[model.locale];
	const title = pdfSafe(texts.title);

	const doc = new PDFDocument({
		size: 'A4',
		margins: { top: TOP, bottom: PAGE.height - CONTENT_BOTTOM, left: MARGIN_X, right: MARGIN_X },
		bufferPages: true,
		lang: model.locale === 'fr' ? 'fr-FR' : 'en-GB',
		displayTitle: true,
		info: {
			Title: model.number ? `${texts.title} ${model.number}` : `${texts.title} (${labels.draft})`,
			Author: model.issuer.legalName,
			Subject: model.recipient.name,
			Creator: 'Relais',
			Producer: 'Relais',
			CreationDate: issued
		}
	});
	const chunks: Uint8Array[] = [];
	doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
	const finished = new Promise<void>((resolve, reject) => {
		doc.on('end', () => resolve());
		doc.on('error', reject);
	});

	const section: Section = { doc, model, labels, title };
	header(section);
	paragraph(doc, texts.intro, { size: 9.5, gapAfter: 14 });
	if (model.route) route(doc, model.route, labels);
	if (model.vehicles?.length) vehicles(doc, model.vehicles, labels, model);
	if (model.lines?.length) lines(doc, model.lines, labels, model, model.totals ? totalsHeight(model.totals) : 0);
	if (model.totals) totals(doc, model.totals, labels, model);
	if (model.discountNote) paragraph(doc, model.discountNote, { size: 8.5, font: FONT.italic, color: COLOR.muted });
	if (CONDITION_REPORTS.has(model.kind) || model.damages?.length) damages(doc, model.damages ?? [], labels);
	if (model.photos?.length) photos(doc, model.photos, labels);
	if (model.notes?.trim()) {
		heading(doc, labels.notes);
		paragraph(doc, model.notes, { size: 9 });
	}
	if (texts.paymentTerms) {
		heading(doc, labels.paymentTerms, 24);
		paragraph(doc, texts.paymentTerms, { size: 9 });
	}
	paragraph(doc, texts.legalMentions, { size: 7.5, color: COLOR.muted, gapAfter: 16 });
	const signatories = SIGNATORIES[model.kind];
	if (signatories) signatures(doc, signatories[model.locale], labels);

	pageFurniture(section, texts.footer);
	doc.x = MARGIN_X;
	doc.end();
	await finished;

	const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.length;
	}
	return bytes;
}
