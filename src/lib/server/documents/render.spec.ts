import { describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS, type DocumentModel, type Issuer } from './model';
import { pdfPageCount, pdfPageToPng, pdfText } from './pdf-text';
import { renderDocument } from './render';
import { formatMoney, formatRate, pdfSafe } from './render/format';
import { LYON, MARSEILLE, sampleModel } from './render/samples';
import { defaultTexts, mergeTexts, TEMPLATE_FIELDS } from './templates';

/** The PDF's text with runs of whitespace (line wraps included) folded into one space. */
async function textOf(model: DocumentModel): Promise<string> {
	return (await pdfText(await renderDocument(model))).replace(/\s+/g, ' ');
}

const withoutImages = { withImages: false } as const;

/** What must identify the issuing company on every document, and nothing of the other one. */
function legalDetails(issuer: Issuer, capital: string): string[] {
	return [issuer.legalName, `SIRET ${issuer.siret}`, issuer.vatNumber, capital, issuer.addressLine, `${issuer.postcode} ${issuer.city}`];
}

describe.each(DOCUMENT_KINDS)('%s', (kind) => {
	it('carries the legal details of the issuing site and none of the other site', async () => {
		const lyon = await textOf(sampleModel(kind, { ...withoutImages, issuer: LYON }));
		const marseille = await textOf(sampleModel(kind, { ...withoutImages, issuer: MARSEILLE }));
		for (const detail of legalDetails(LYON, 'au capital de 50 000 €')) {
			expect(lyon).toContain(detail);
			expect(marseille).not.toContain(detail);
		}
		for (const detail of legalDetails(MARSEILLE, 'au capital de 120 000 €')) {
			expect(marseille).toContain(detail);
			expect(lyon).not.toContain(detail);
		}
		expect(lyon).toContain('société par actions simplifiée au capital de 50 000 €');
		expect(marseille).toContain('société à responsabilité limitée au capital de 120 000 €');
		expect(lyon).toContain('Page 1 / ');
	});

	it('prints its lines, vehicles and totals, formatted for the locale', async () => {
		for (const locale of ['fr', 'en'] as const) {
			const model = sampleModel(kind, { ...withoutImages, locale });
			const text = await textOf(model);
			for (const line of model.lines ?? []) {
				expect(text).toContain(pdfSafe(line.description));
				if (line.detail) expect(text).toContain(line.detail);
				expect(text).toContain(formatMoney(line.netCents, locale));
			}
			for (const vehicle of model.vehicles ?? []) {
				expect(text).toContain(vehicle.vin);
				if (vehicle.plate) expect(text).toContain(vehicle.plate);
			}
			if (model.totals) {
				expect(text).toContain(formatMoney(model.totals.netCents, locale));
				expect(text).toContain(formatMoney(model.totals.vatCents, locale));
				expect(text).toContain(formatMoney(model.totals.grossCents, locale));
				for (const bucket of model.totals.vat) expect(text).toContain(formatRate(bucket.rateBp, locale));
			}
		}
	});

	it('is titled in the language of the document', async () => {
		const fr = await textOf(sampleModel(kind, { ...withoutImages, locale: 'fr' }));
		const en = await textOf(sampleModel(kind, { ...withoutImages, locale: 'en' }));
		const [frTitle, enTitle] = [defaultTexts(kind, 'fr').title, defaultTexts(kind, 'en').title];
		expect(frTitle).not.toBe(enTitle);
		expect(fr).toContain(frTitle);
		expect(en).toContain(enTitle);
		expect(fr).not.toContain(enTitle);
		expect(en).not.toContain(frTitle);
	});

	it('marks a draft, and only a draft', async () => {
		const draftFr = await textOf(sampleModel(kind, { ...withoutImages, draft: true }));
		const draftEn = await textOf(sampleModel(kind, { ...withoutImages, draft: true, locale: 'en' }));
		const issuedFr = await textOf(sampleModel(kind, withoutImages));
		const issuedEn = await textOf(sampleModel(kind, { ...withoutImages, locale: 'en' }));
		expect(draftFr).toContain('BROUILLON');
		expect(draftEn).toContain('DRAFT');
		for (const text of [issuedFr, issuedEn]) {
			expect(text).not.toContain('BROUILLON');
			expect(text).not.toContain('DRAFT');
		}
		const { number } = sampleModel(kind, withoutImages);
		expect(number).toMatch(/^[A-Z]+-LYON-2025-\d{4,5}$/);
		expect(issuedFr).toContain(`N° ${number}`);
		expect(issuedEn).toContain(`No. ${number}`);
		for (const text of [draftFr, draftEn]) expect(text).not.toContain(number);
	});

	it('prints the admin’s legal mentions instead of the default ones', async () => {
		const custom = 'Conditions particulières du site de Lyon : contrat-cadre RL-2024-17 applicable.';
		const text = await textOf({ ...sampleModel(kind, withoutImages), texts: { legalMentions: custom } });
		expect(text).toContain(custom);
		expect(text).not.toContain(defaultTexts(kind, 'fr').legalMentions.slice(0, 60));
	});
});

describe('invoice', () => {
	it('formats amounts as French and English readers write them', async () => {
		const fr = await textOf(sampleModel('invoice', withoutImages));
		expect(fr).toContain('Gardiennage sur parc (jour × véhicule) 3 × 30 90 4,50 € - 20 % 405,00 €');
		expect(fr).toContain('2 65,00 € -10,00 € 20 % 120,00 €');
		expect(fr).toContain('Total HT 846,00 €');
		expect(fr).toContain('TVA 20 % sur 846,00 € 169,20 €');
		expect(fr).toContain('Total TTC 1 015,20 €');
		expect(fr).toContain('Échéance : 11 avril 2025');
		expect(fr).toContain('Référence : 2025-02-01 -> 2025-02-28');
		const en = await textOf(sampleModel('invoice', { ...withoutImages, locale: 'en' }));
		expect(en).toContain('Total incl. VAT €1,015.20');
		expect(en).toContain('VAT 20% on €846.00 €169.20');
		expect(en).toContain('-€10.00');
		expect(en).toContain('Due date: 11 April 2025');
		expect(en).not.toContain('\u202f');
	});

	it('gives one VAT line per rate, a disbursement at 0 % included, rounded to the cent', async () => {
		// 20 % of 28 783,33 € is 5 756,666 €.
		const fr = await textOf(sampleModel('sale_invoice', withoutImages));
		expect(fr).toContain('TVA 20 % sur 28 783,33 € 5 756,67 €');
		expect(fr).toContain('TVA 0 % sur 312,76 € 0,00 €');
		expect(fr).toContain('Total HT 29 096,09 €');
		expect(fr).toContain('Total TTC 34 852,76 €');
		const en = await textOf(sampleModel('sale_invoice', { ...withoutImages, locale: 'en' }));
		expect(en).toContain('VAT 0% on €312.76 €0.00');
		expect(en).toContain('Total incl. VAT €34,852.76');
	});

	it('carries the mandatory late-payment mentions by default', async () => {
		const text = await textOf(sampleModel('invoice', withoutImages));
		expect(text).toContain('indemnité forfaitaire pour frais de recouvrement de 40 €');
		expect(text).toContain('L441-10');
		expect(text).toContain("Pas d'escompte pour paiement anticipé");
	});

	it('runs a long invoice over several pages, header row repeated, last line and totals kept', async () => {
		const model = sampleModel('invoice', { ...withoutImages, lineCount: 120 });
		const pdf = await renderDocument(model);
		const pages = await pdfPageCount(pdf);
		expect(pages).toBeGreaterThan(1);
		const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
		expect(text).toContain('Gardiennage sur parc (jour × véhicule) #120');
		expect(text).toContain('Total HT 16 920,00 €');
		expect(text).toContain('Total TTC 20 304,00 €');
		expect(text).toContain(`Page ${pages} / ${pages}`);
		// The column heads open every page that carries lines.
		expect(text.split('Désignation Qté P.U. HT Remise TVA Total HT').length - 1).toBeGreaterThanOrEqual(pages - 1);
		// Every line is printed once, none lost at a page break.
		for (let i = 1; i <= 120; i++) expect(text).toMatch(new RegExp(`#${i} `));
	});

	it('renders the same bytes for the same model', async () => {
		const model = sampleModel('invoice');
		expect(await renderDocument(model)).toEqual(await renderDocument(model));
	});

	it('refuses an issue date that is not yyyy-mm-dd', async () => {
		await expect(renderDocument({ ...sampleModel('invoice'), issuedOn: '12/03/2025' })).rejects.toThrow(/issuedOn/);
	});
});

describe('other kinds', () => {
	it('names the invoice a credit note corrects', async () => {
		expect(await textOf(sampleModel('credit_note', withoutImages))).toContain('Facture d’origine : F-LYON-2025-00042');
	});

	it('gives the route and driver of a transfer', async () => {
		const text = await textOf(sampleModel('transfer_note', { ...withoutImages, locale: 'en' }));
		expect(text).toContain('FROM Relais Lyon, 14 rue de la Logistique, 69007 Lyon');
		expect(text).toContain('TO Concession Villeurbanne Nord, 8 avenue Roger Salengro, 69100 Villeurbanne');
		expect(text).toContain('Karim Benali');
		expect(text).toContain('Consignee');
	});

	it('lists damages, photos and signature boxes on an inspection report', async () => {
		const text = await textOf(sampleModel('inspection_report'));
		expect(text).toContain('Pare-chocs avant Rayure de 5 cm côté gauche, peinture atteinte.');
		expect(text).toContain('Pare-brise Impact de 3 mm');
		expect(text).toContain('Photo 4');
		expect(text).toContain('L’opérateur');
		expect(text).toContain('Le client');
		expect(text).toContain('18 342 km');
	});

	it('says so when no damage was found, and survives an unreadable photo', async () => {
		const model = { ...sampleModel('delivery_report', withoutImages), damages: [], photos: [new Uint8Array([1, 2, 3])] };
		const text = await textOf(model);
		expect(text).toContain('Aucun dommage constaté.');
		expect(text).toContain('Image illisible');
	});

	it('draws characters Helvetica lacks as look-alikes rather than garbage', async () => {
		const model = { ...sampleModel('transfer_note', withoutImages), notes: 'Arrivée ≥ 17 h, tél. 04\u202f72\u202f00\u202f00 — zone B → quai 3 🚗' };
		expect(await textOf(model)).toContain('Arrivée >= 17 h, tél. 04 72 00 00 — zone B -> quai 3 ?');
	});
});

describe('template texts', () => {
	it('falls back to the default for blank overrides', () => {
		const merged = mergeTexts('invoice', 'fr', { title: 'Facture de prestations', intro: '   ', footer: '' });
		expect(merged.title).toBe('Facture de prestations');
		expect(merged.intro).toBe(defaultTexts('invoice', 'fr').intro);
		expect(merged.footer).toBe(defaultTexts('invoice', 'fr').footer);
	});

	it('gives every kind its mandatory wording in both languages', () => {
		for (const kind of ['invoice', 'credit_note'] as const) {
			expect(defaultTexts(kind, 'fr').legalMentions).toMatch(/40 €.*L441-10|L441-10.*40 €/);
			expect(defaultTexts(kind, 'en').legalMentions).toContain('€40');
			expect(defaultTexts(kind, 'fr').paymentTerms).not.toBe('');
		}
		for (const kind of DOCUMENT_KINDS) {
			for (const locale of ['fr', 'en'] as const) {
				const texts = defaultTexts(kind, locale);
				expect(texts.title && texts.intro && texts.legalMentions && texts.footer).toBeTruthy();
			}
		}
	});

	it('offers every text field to the admin form, labelled in both languages', () => {
		expect(TEMPLATE_FIELDS.map((f) => f.key).sort()).toEqual(['footer', 'intro', 'legalMentions', 'paymentTerms', 'title']);
		for (const field of TEMPLATE_FIELDS) expect(field.label.fr && field.label.en).toBeTruthy();
	});
});

describe('page preview', () => {
	it('draws the text of a page, not a blank sheet (Node 20 needs a pdf.js polyfill for that)', async () => {
		const { createCanvas, loadImage } = await import('@napi-rs/canvas');
		const png = await pdfPageToPng(await renderDocument(sampleModel('invoice', withoutImages)), 1, 1);
		const image = await loadImage(Buffer.from(png));
		expect(image.width).toBe(595);
		const canvas = createCanvas(image.width, image.height);
		const context = canvas.getContext('2d');
		context.drawImage(image, 0, 0);
		// The header (issuer, title, number, dates) is text only: a blank render leaves it white.
		const { data } = context.getImageData(0, 0, 595, 200);
		let dark = 0;
		for (let i = 0; i < data.length; i += 4) if (data[i] < 100 && data[i + 3] > 0) dark++;
		expect(dark).toBeGreaterThan(400);
	});
});

describe('amounts', () => {
	it('uses plain spaces that the PDF font can draw', () => {
		expect(formatMoney(123_450, 'fr')).toBe('1 234,50 €');
		expect(formatMoney(123_450, 'en')).toBe('€1,234.50');
		expect(formatMoney(-4_800, 'fr')).toBe('-48,00 €');
		expect(formatRate(550, 'fr')).toBe('5,5 %');
		expect(formatRate(2000, 'en')).toBe('20%');
	});
});
