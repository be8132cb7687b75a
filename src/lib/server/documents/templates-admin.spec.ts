import { describe, expect, it } from 'vitest';
import type { Sql } from '$lib/server/db/pool';
import type { Storage } from '$lib/server/storage';
import { validate } from '$lib/validation';
import { pdfText } from './pdf-text';
import { LYON, samplePng } from './render/samples';
import { defaultTexts } from './templates';
import {
	LOGO_MAX_BYTES,
	checkLogo,
	fieldsFor,
	imageTypeOf,
	managedSites,
	overridesFrom,
	previewDocument,
	removeLogo,
	replaceLogo,
	saveSchema,
	textsSchema
} from './templates-admin';

const PNG = samplePng(8, 4, [30, 60, 90], [200, 210, 220]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

describe('managedSites', () => {
	const sites = [{ id: 'lyon' }, { id: 'marseille' }, { id: 'lille' }];

	it('keeps the sites where the person is site manager, and every site for an organisation-wide admin', () => {
		expect(managedSites([{ siteId: 'marseille', role: 'site_manager' }, { siteId: 'lyon', role: 'csm' }], sites)).toEqual([{ id: 'marseille' }]);
		expect(managedSites([{ siteId: null, role: 'admin' }], sites)).toEqual(sites);
		expect(managedSites([{ siteId: null, role: 'director' }], sites)).toEqual([]);
	});
});

describe('the template form', () => {
	it('shows payment terms only on documents that carry a price', () => {
		expect(fieldsFor('invoice').map((f) => f.key)).toContain('paymentTerms');
		expect(fieldsFor('inspection_report').map((f) => f.key)).not.toContain('paymentTerms');
	});

	it('bounds each field by its length and asks why, with messages in the reader’s language', () => {
		const tooLong = { title: 'x'.repeat(81), intro: '', legalMentions: 'ok', footer: '', reason: '' };
		const fr = validate(saveSchema('invoice'), tooLong, 'fr');
		const en = validate(saveSchema('invoice'), tooLong, 'en');
		expect(fr.ok || en.ok).toBe(false);
		if (fr.ok || en.ok) return;
		expect(Object.keys(fr.errors).sort()).toEqual(['reason', 'title']);
		expect(fr.errors.title[0]).toMatch(/80/);
		expect(fr.errors.title[0]).not.toEqual(en.errors.title[0]);
	});

	it('accepts missing and blank fields, and trims what is typed', () => {
		const parsed = validate(textsSchema('transfer_note'), { title: '  Bon de sortie  ' }, 'fr');
		expect(parsed).toEqual({ ok: true, data: { title: 'Bon de sortie', intro: '', legalMentions: '', footer: '' } });
	});
});

describe('overridesFrom', () => {
	it('stores only what differs from the defaults, for the fields the kind prints', () => {
		const defaults = defaultTexts('invoice', 'fr');
		expect(
			overridesFrom('invoice', 'fr', {
				title: 'Facture de prestations',
				intro: '   ',
				paymentTerms: ` ${defaults.paymentTerms} `,
				legalMentions: undefined,
				footer: 'SAS'
			})
		).toEqual({ title: 'Facture de prestations', footer: 'SAS' });
		expect(overridesFrom('inspection_report', 'fr', { paymentTerms: 'À 30 jours' })).toEqual({});
	});
});

describe('logos', () => {
	it('knows a PNG and a JPEG by their first bytes, whatever they claim to be', () => {
		expect(imageTypeOf(PNG)).toEqual({ ext: 'png', mime: 'image/png' });
		expect(imageTypeOf(JPEG)).toEqual({ ext: 'jpg', mime: 'image/jpeg' });
		expect(imageTypeOf(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
		expect(imageTypeOf(new Uint8Array([0x89, 0x50, 0x4e]))).toBeNull();
	});

	it('refuses an empty file, a file over 1 MB and anything but PNG or JPEG', () => {
		expect(checkLogo(new Uint8Array())).toEqual({ ok: false, error: 'empty' });
		const big = new Uint8Array(LOGO_MAX_BYTES + 1);
		big.set(PNG);
		expect(checkLogo(big)).toEqual({ ok: false, error: 'too_large' });
		expect(checkLogo(new TextEncoder().encode('GIF89a......'))).toEqual({ ok: false, error: 'not_an_image' });
		expect(checkLogo(PNG)).toMatchObject({ ok: true });
	});

	/** A store in memory, and a database whose only site has `logo_key = current` unless `refuse`. */
	function world(current: string | null, refuse = false) {
		const files = new Map<string, Uint8Array>(current ? [[current, PNG]] : []);
		const store: Storage = {
			put: async (key, bytes) => void files.set(key, bytes),
			get: async (key) => files.get(key) ?? null,
			delete: async (key) => void files.delete(key)
		};
		let logoKey = current;
		const sql = {
			query: async (_text: string, params: unknown[]) => {
				if (refuse) return { rows: [] };
				const previous = logoKey;
				logoKey = params[1] as string | null;
				return { rows: [{ previous }] };
			}
		} as unknown as Sql;
		return { files, store, db: <T>(fn: (sql: Sql) => Promise<T>) => fn(sql), logoKey: () => logoKey };
	}

	it('stores the new logo under the site, points the site at it, then forgets the old file', async () => {
		const w = world('logos/lyon/old.png');
		expect(await replaceLogo({ db: w.db, store: w.store, siteId: 'lyon', bytes: JPEG })).toEqual({ ok: true });
		expect(w.logoKey()).toMatch(/^logos\/lyon\/[0-9a-f-]{36}\.jpg$/);
		expect([...w.files.keys()]).toEqual([w.logoKey()]);
	});

	it('removes the file it wrote when the policies refuse the update', async () => {
		const w = world('logos/lyon/old.png', true);
		expect(await replaceLogo({ db: w.db, store: w.store, siteId: 'lyon', bytes: PNG })).toEqual({ ok: false, error: 'forbidden' });
		expect([...w.files.keys()]).toEqual(['logos/lyon/old.png']);
		expect(await removeLogo({ db: w.db, store: w.store, siteId: 'lyon' })).toEqual({ ok: false, error: 'forbidden' });
		expect(w.files.size).toBe(1);
	});

	it('writes nothing for a refused file', async () => {
		const w = world(null);
		expect(await replaceLogo({ db: w.db, store: w.store, siteId: 'lyon', bytes: new TextEncoder().encode('%PDF-1.7') })).toEqual({ ok: false, error: 'not_an_image' });
		expect(w.files.size).toBe(0);
	});
});

describe('previewDocument', () => {
	/** A database that knows one site, Lyon, with `logoKey`. */
	function lyon(logoKey: string | null) {
		const { logo: _logo, ...row } = LYON;
		return {
			query: async (text: string) => ({ rows: [text.includes('legal_name') ? { ...row, logoKey } : { today: '2026-12-03' }] })
		} as unknown as Sql;
	}
	const store = (bytes: Uint8Array | null): Storage => ({ put: async () => {}, get: async () => bytes, delete: async () => {} });

	it('prints the site’s legal details with the texts being edited', async () => {
		const pdf = await previewDocument(lyon(null), store(null), {
			site: { id: 'lyon', code: 'LYON' },
			kind: 'invoice',
			locale: 'fr',
			texts: { title: 'Facture de prestations', intro: '' }
		});
		const text = (await pdfText(pdf!)).replace(/\s+/g, ' ');
		expect(text).toContain('Facture de prestations');
		expect(text).toContain(defaultTexts('invoice', 'fr').intro);
		expect(text).toContain(LYON.legalName);
		expect(text).toContain('F-LYON-2026-00042');
	});

	it('leaves out a logo the PDF library cannot draw rather than failing', async () => {
		const broken = new Uint8Array([...PNG.slice(0, 16), 0, 0, 0]);
		const pdf = await previewDocument(lyon('logos/lyon/broken.png'), store(broken), { site: { id: 'lyon', code: 'LYON' }, kind: 'transfer_note', locale: 'en', texts: {} });
		expect(await pdfText(pdf!)).toContain(defaultTexts('transfer_note', 'en').title);
	});
});
