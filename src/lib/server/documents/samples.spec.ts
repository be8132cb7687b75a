import { describe, expect, it } from 'vitest';
import { invoiceTotals } from '$lib/domain/invoicing/totals';
import { DOCUMENT_KINDS } from './model';
import { pdfText } from './pdf-text';
import { renderDocument } from './render';
import { pdfSafe } from './render/format';
import { LYON } from './render/samples';
import { sampleDocument } from './samples';
import { mergeTexts } from './templates';

describe.each(DOCUMENT_KINDS)('the %s sample', (kind) => {
	it('renders with the site, the texts and its own content, in both languages', async () => {
		for (const locale of ['fr', 'en'] as const) {
			const texts = mergeTexts(kind, locale, { title: locale === 'fr' ? 'Titre du site' : 'Site title' });
			const model = sampleDocument({ kind, locale, issuer: LYON, siteCode: 'LYON', today: '2026-12-03', texts });
			const text = (await pdfText(await renderDocument(model))).replace(/\s+/g, ' ');
			expect(text).toContain(texts.title);
			expect(text).toContain(LYON.legalName);
			expect(text).toContain(model.number!);
			for (const line of model.lines ?? []) expect(text).toContain(pdfSafe(line.description));
			for (const vehicle of model.vehicles ?? []) expect(text).toContain(vehicle.vin);
		}
	});

	it('has totals that follow the invoice rule and a number of the site’s series', () => {
		const model = sampleDocument({ kind, locale: 'fr', issuer: LYON, siteCode: 'LYON', today: '2026-01-10', texts: {} });
		expect(model.number).toContain('-LYON-2026-');
		if (model.lines) expect(model.totals).toEqual(invoiceTotals(model.lines));
		if (model.dueOn) expect(model.dueOn >= model.issuedOn).toBe(true);
	});
});

it('invoices last month, across a change of year', () => {
	const model = sampleDocument({ kind: 'invoice', locale: 'fr', issuer: LYON, siteCode: 'LYON', today: '2026-01-10', texts: {} });
	expect(model.reference).toBe('2025-12-01 → 2025-12-31');
});
