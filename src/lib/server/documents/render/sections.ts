import type { Damage, DocumentLine, DocumentModel, Party, Totals, VehicleFacts } from '../model';
import { formatCapital, formatDate, formatMoney, formatNumber, formatRate } from './format';
import type { Labels } from './labels';
import {
	COLOR,
	CONTENT_BOTTOM,
	CONTENT_WIDTH,
	FONT,
	MARGIN_X,
	PAGE,
	RIGHT,
	TOP,
	drawImage,
	ensureSpace,
	heading,
	measure,
	openImage,
	place,
	style,
	table,
	type Column,
	type Doc,
	type TextStyle
} from './layout';

/** The blocks a document is assembled from; each draws at `doc.y` and leaves it below itself. */

export interface Section {
	doc: Doc;
	model: DocumentModel;
	labels: Labels;
	title: string;
}

const colon = (model: DocumentModel) => (model.locale === 'fr' ? ' : ' : ': ');

const ISSUER_WIDTH = 230;
const META_X = MARGIN_X + ISSUER_WIDTH + 20;
const META_WIDTH = RIGHT - META_X;

/** Issuer on the left (logo, name, address), title, number and dates on the right. */
export function header({ doc, model, labels, title }: Section): void {
	const { issuer } = model;
	let left = TOP;
	const logo = issuer.logo ? openImage(doc, issuer.logo) : null;
	if (logo) left += drawImage(doc, logo, MARGIN_X, left, 150, 52, 'left').height + 10;
	left += place(doc, issuer.name, MARGIN_X, left, ISSUER_WIDTH, { size: 13, font: FONT.bold, color: COLOR.accent }) + 2;
	if (issuer.legalName !== issuer.name) left += place(doc, issuer.legalName, MARGIN_X, left, ISSUER_WIDTH, { size: 8.5, color: COLOR.muted }) + 1;
	for (const line of [issuer.addressLine, `${issuer.postcode} ${issuer.city}`]) {
		left += place(doc, line, MARGIN_X, left, ISSUER_WIDTH, { size: 8.5, color: COLOR.muted }) + 1;
	}

	// The longest titles ("Bon de livraison de transfert") shrink rather than wrap.
	let size = 20;
	style(doc, { size, font: FONT.bold });
	while (size > 13 && doc.widthOfString(title) > META_WIDTH) style(doc, { size: --size, font: FONT.bold });
	let right = TOP;
	right += place(doc, title, META_X, right, META_WIDTH, { size, font: FONT.bold, color: COLOR.accent, align: 'right' }) + 4;
	if (model.number) {
		right += place(doc, `${labels.number} ${model.number}`, META_X, right, META_WIDTH, { size: 10.5, font: FONT.bold, align: 'right' }) + 6;
	} else {
		right += place(doc, labels.draft, META_X, right, META_WIDTH, { size: 10.5, font: FONT.bold, color: COLOR.draft, align: 'right' }) + 6;
	}
	const financial = model.kind === 'invoice' || model.kind === 'credit_note' || model.kind === 'sale_invoice' || model.kind === 'purchase_order';
	const meta: [string, string | null | undefined][] = [
		[financial ? labels.issuedOn : labels.reportDate, formatDate(model.issuedOn, model.locale)],
		[labels.dueOn, model.dueOn ? formatDate(model.dueOn, model.locale) : null],
		[labels.credits, model.creditsNumber],
		[labels.reference, model.reference]
	];
	for (const [label, value] of meta) {
		if (value) right += place(doc, `${label}${colon(model)}${value}`, META_X, right, META_WIDTH, { size: 8.5, align: 'right' }) + 2;
	}

	// The addressee box sits under the dates, beside the issuer's address when there is room.
	doc.y = right + 14;
	const boxBottom = recipient(doc, model.kind === 'transfer_note' ? labels.consignee : labels.customer, model.recipient, labels, model);
	doc.x = MARGIN_X;
	doc.y = Math.max(left, boxBottom) + 20;
}

/** The addressee, boxed on the right where a windowed envelope shows it; returns its bottom. */
function recipient(doc: Doc, label: string, party: Party, labels: Labels, model: DocumentModel): number {
	const x = META_X;
	const width = META_WIDTH;
	const inner = width - 20;
	const detail: TextStyle = { size: 8.5, color: COLOR.muted };
	const lines: [string, TextStyle][] = [
		[label.toUpperCase(), { size: 7, font: FONT.bold, color: COLOR.muted }],
		[party.name, { size: 10, font: FONT.bold }]
	];
	for (const line of party.addressLines) if (line.trim()) lines.push([line, { size: 8.5 }]);
	if (party.email) lines.push([party.email, detail]);
	if (party.vatNumber) lines.push([`${labels.vatNumber}${colon(model)}${party.vatNumber}`, detail]);
	const heights = lines.map(([text, s]) => measure(doc, text, inner, s) + 2);
	const height = heights.reduce((a, b) => a + b, 0) + 16;
	const top = doc.y;
	doc.roundedRect(x, top, width, height, 4).lineWidth(0.7).strokeColor(COLOR.rule).stroke();
	let y = top + 9;
	lines.forEach(([text, s], i) => {
		place(doc, text, x + 10, y, inner, s);
		y += heights[i];
	});
	return top + height;
}

const LINE_COLUMNS = (labels: Labels): Column[] => [
	{ header: labels.columns.description, width: CONTENT_WIDTH - 36 - 72 - 62 - 44 - 88 },
	{ header: labels.columns.quantity, width: 36, align: 'right' },
	{ header: labels.columns.unitPrice, width: 72, align: 'right' },
	{ header: labels.columns.discount, width: 62, align: 'right' },
	{ header: labels.columns.vat, width: 44, align: 'right' },
	{ header: labels.columns.net, width: 88, align: 'right' }
];

/** The priced lines; `keepWithLast` is the height of what must follow the last line on its page. */
export function lines(doc: Doc, items: DocumentLine[], labels: Labels, model: DocumentModel, keepWithLast = 0): void {
	const { locale } = model;
	table(
		doc,
		LINE_COLUMNS(labels),
		items.map((line) => ({
			cells: [
				line.description,
				formatNumber(line.quantity, locale),
				formatMoney(line.unitPriceCents, locale),
				line.discountCents ? formatMoney(-Math.abs(line.discountCents), locale) : '-',
				formatRate(line.vatRateBp, locale),
				formatMoney(line.netCents, locale)
			],
			detail: line.detail
		})),
		keepWithLast
	);
}

const TOTALS_WIDTH = 250;
const TOTALS_ROW = 15;

/** The height `totals` takes, so the last line of the table can be kept on its page. */
export function totalsHeight(sums: Totals): number {
	return (sums.vat.length + 2) * TOTALS_ROW + 30;
}

/** Net, VAT per rate, total VAT and gross, right-aligned under the lines and kept on one page. */
export function totals(doc: Doc, sums: Totals, labels: Labels, model: DocumentModel): void {
	const { locale } = model;
	const rows: [string, string][] = [
		[labels.totals.net, formatMoney(sums.netCents, locale)],
		...sums.vat.map((b): [string, string] => [labels.totals.vatOn(formatRate(b.rateBp, locale), formatMoney(b.baseCents, locale)), formatMoney(b.vatCents, locale)]),
		[labels.totals.vat, formatMoney(sums.vatCents, locale)]
	];
	ensureSpace(doc, totalsHeight(sums));
	const x = RIGHT - TOTALS_WIDTH;
	let y = doc.y - 4;
	for (const [label, value] of rows) {
		place(doc, label, x + 8, y + 3.5, TOTALS_WIDTH - 110, { size: 8.5, color: COLOR.muted });
		place(doc, value, x + TOTALS_WIDTH - 100, y + 3.5, 92, { size: 8.5, align: 'right' });
		y += TOTALS_ROW;
	}
	doc.rect(x, y + 2, TOTALS_WIDTH, 22).fill(COLOR.accent);
	place(doc, labels.totals.gross, x + 8, y + 8.5, TOTALS_WIDTH - 110, { size: 10, font: FONT.bold, color: '#ffffff' });
	place(doc, formatMoney(sums.grossCents, locale), x + TOTALS_WIDTH - 110, y + 8.5, 102, { size: 10, font: FONT.bold, color: '#ffffff', align: 'right' });
	doc.x = MARGIN_X;
	doc.y = y + 40;
}

export function vehicles(doc: Doc, items: VehicleFacts[], labels: Labels, model: DocumentModel): void {
	const { locale } = model;
	const c = labels.vehicleColumns;
	heading(doc, labels.vehicles);
	table(
		doc,
		[
			{ header: c.plate, width: 80 },
			{ header: c.vin, width: 122 },
			{ header: c.makeModel, width: CONTENT_WIDTH - 80 - 122 - 75 - 62 },
			{ header: c.mileage, width: 75, align: 'right' },
			{ header: c.energy, width: 62, align: 'right' }
		],
		items.map((v) => ({
			cells: [
				v.plate || '-',
				v.vin,
				`${v.make} ${v.model}`,
				v.mileageKm == null ? '-' : `${formatNumber(v.mileageKm, locale, 0)} km`,
				v.energyLevelPercent == null ? '-' : formatRate(v.energyLevelPercent * 100, locale)
			]
		}))
	);
}

export function damages(doc: Doc, items: Damage[], labels: Labels): void {
	heading(doc, labels.damages);
	if (!items.length) {
		place(doc, labels.noDamage, MARGIN_X, doc.y, CONTENT_WIDTH, { size: 9, font: FONT.italic, color: COLOR.muted });
		doc.x = MARGIN_X;
		doc.y += 24;
		return;
	}
	table(
		doc,
		[
			{ header: labels.damageColumns.zone, width: 150 },
			{ header: labels.damageColumns.note, width: CONTENT_WIDTH - 150 }
		],
		items.map((d) => ({ cells: [d.zone, d.note] }))
	);
}

const PHOTO_COLUMNS = 3;
const PHOTO_GAP = 10;
const PHOTO_HEIGHT = 125;
const CAPTION = 14;

/** Photos three to a row, each scaled to fit its cell; a row never splits across pages. */
export function photos(doc: Doc, items: Uint8Array[], labels: Labels): void {
	if (!items.length) return;
	heading(doc, labels.photos, PHOTO_HEIGHT + CAPTION);
	const width = (CONTENT_WIDTH - PHOTO_GAP * (PHOTO_COLUMNS - 1)) / PHOTO_COLUMNS;
	for (let start = 0; start < items.length; start += PHOTO_COLUMNS) {
		ensureSpace(doc, PHOTO_HEIGHT + CAPTION);
		const y = doc.y;
		items.slice(start, start + PHOTO_COLUMNS).forEach((bytes, i) => {
			const x = MARGIN_X + i * (width + PHOTO_GAP);
			doc.rect(x, y, width, PHOTO_HEIGHT).fill(COLOR.faint);
			const image = openImage(doc, bytes);
			if (image) drawImage(doc, image, x + 3, y + 3, width - 6, PHOTO_HEIGHT - 6);
			else place(doc, labels.unreadablePhoto, x, y + PHOTO_HEIGHT / 2 - 5, width, { size: 8, color: COLOR.muted, align: 'center' });
			place(doc, labels.photo(start + i + 1), x, y + PHOTO_HEIGHT + 3, width, { size: 7.5, color: COLOR.muted, align: 'center' });
		});
		doc.y = y + PHOTO_HEIGHT + CAPTION + 8;
	}
	doc.x = MARGIN_X;
	doc.y += 6;
}

/** Departure, arrival and driver of a transfer, in one band. */
export function route(doc: Doc, leg: NonNullable<DocumentModel['route']>, labels: Labels): void {
	const cells: [string, string][] = [
		[labels.route.from, leg.from],
		[labels.route.to, leg.to]
	];
	if (leg.driver) cells.push([labels.route.driver, leg.driver]);
	const width = CONTENT_WIDTH / cells.length;
	const inner = width - 20;
	const height = Math.max(...cells.map(([, value]) => measure(doc, value, inner, { size: 10, font: FONT.bold }))) + 28;
	ensureSpace(doc, height + 10);
	const y = doc.y;
	doc.rect(MARGIN_X, y, CONTENT_WIDTH, height).fill(COLOR.faint);
	cells.forEach(([label, value], i) => {
		const x = MARGIN_X + i * width + 10;
		place(doc, label.toUpperCase(), x, y + 8, inner, { size: 7, font: FONT.bold, color: COLOR.muted });
		place(doc, value, x, y + 19, inner, { size: 10, font: FONT.bold });
	});
	doc.x = MARGIN_X;
	doc.y = y + height + 18;
}

const SIGNATURE_HEIGHT = 88;

/** Two boxes side by side for the parties' signatures, always on one page together. */
export function signatures(doc: Doc, who: [string, string], labels: Labels): void {
	ensureSpace(doc, SIGNATURE_HEIGHT + 10);
	const y = doc.y;
	const width = (CONTENT_WIDTH - 16) / 2;
	who.forEach((name, i) => {
		const x = MARGIN_X + i * (width + 16);
		doc.roundedRect(x, y, width, SIGNATURE_HEIGHT, 4).lineWidth(0.7).strokeColor(COLOR.rule).stroke();
		place(doc, name, x + 10, y + 9, width - 20, { size: 9, font: FONT.bold });
		place(doc, labels.signatureHint, x + 10, y + 22, width - 20, { size: 7.5, color: COLOR.muted });
	});
	doc.x = MARGIN_X;
	doc.y = y + SIGNATURE_HEIGHT + 12;
}

/** The page furniture drawn once every page exists: running head, footer, draft watermark. */
export function pageFurniture({ doc, model, labels, title }: Section, legalForm: string): void {
	const { issuer } = model;
	const range = doc.bufferedPageRange();
	const footer = [
		`${issuer.legalName}, ${labels.capital(legalForm, formatCapital(issuer.shareCapitalCents, model.locale))}`,
		`${issuer.addressLine}, ${issuer.postcode} ${issuer.city}  ·  ${labels.siret} ${issuer.siret}  ·  ${labels.vat} ${issuer.vatNumber}`
	];
	for (let i = 0; i < range.count; i++) {
		doc.switchToPage(range.start + i);
		// Drawing below the bottom margin would otherwise make pdfkit start a new page.
		const margins = { ...doc.page.margins };
		doc.page.margins.bottom = 0;
		doc.page.margins.top = 0;

		if (i > 0) {
			const running = `${title}${model.number ? ` ${labels.number} ${model.number}` : ''} (${labels.continued})`;
			place(doc, running, MARGIN_X, 30, CONTENT_WIDTH / 2, { size: 7.5, color: COLOR.muted });
			place(doc, issuer.name, MARGIN_X + CONTENT_WIDTH / 2, 30, CONTENT_WIDTH / 2, { size: 7.5, color: COLOR.muted, align: 'right' });
		}

		const ruleY = CONTENT_BOTTOM + 22;
		doc.moveTo(MARGIN_X, ruleY).lineTo(RIGHT, ruleY).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
		const textWidth = CONTENT_WIDTH - 70;
		let y = ruleY + 7;
		for (const line of footer) y += place(doc, line, MARGIN_X, y, textWidth, { size: 7, color: COLOR.muted }) + 2;
		place(doc, labels.page(i + 1, range.count), RIGHT - 60, ruleY + 7, 60, { size: 7.5, font: FONT.bold, color: COLOR.muted, align: 'right' });

		if (!model.number) watermark(doc, labels.draft);
		doc.page.margins = margins;
	}
}

function watermark(doc: Doc, text: string): void {
	doc.save();
	doc.rotate(-35, { origin: [PAGE.width / 2, PAGE.height / 2] });
	style(doc, { size: 96, font: FONT.bold, color: COLOR.draft });
	doc.fillOpacity(0.09);
	const width = doc.widthOfString(text);
	doc.text(text, PAGE.width / 2 - width / 2, PAGE.height / 2 - 48, { lineBreak: false });
	doc.restore();
}
