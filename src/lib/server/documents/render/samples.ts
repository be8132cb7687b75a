import { deflateSync, crc32 } from 'node:zlib';
import { invoiceTotals } from '../../../domain/invoicing/totals';
import type { DocumentKind, DocumentLine, DocumentModel, Issuer, Locale } from '../model';
import { sampleDocument } from '../samples';

/**
 * Test and preview scaffolding around `sampleDocument` (../samples.ts, the one source of sample
 * business content): two sites that are distinct companies, generated images, and `sampleModel`
 * for the render tests and `scripts/pdf-preview.ts`. Not used by the application itself.
 */

export const LYON: Issuer = {
	name: 'Relais Lyon',
	legalName: 'Relais Logistique Rhône SAS',
	siret: '812 345 678 00024',
	vatNumber: 'FR32812345678',
	shareCapitalCents: 5_000_000,
	addressLine: '14 rue de la Logistique',
	postcode: '69007',
	city: 'Lyon'
};

export const MARSEILLE: Issuer = {
	name: 'Relais Marseille',
	legalName: 'Relais Méditerranée Auto SARL',
	siret: '901 222 333 00017',
	vatNumber: 'FR47901222333',
	shareCapitalCents: 12_000_000,
	addressLine: '3 boulevard des Docks',
	postcode: '13002',
	city: 'Marseille'
};

/** A PNG of `width` × `height`, a diagonal gradient from `from` to `to` with a darker band. */
export function samplePng(width: number, height: number, from: [number, number, number], to: [number, number, number]): Uint8Array {
	const raw = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0; y < height; y++) {
		const row = y * (width * 3 + 1);
		raw[row] = 0; // filter: none
		for (let x = 0; x < width; x++) {
			const t = (x / width + y / height) / 2;
			const band = Math.abs(y / height - 0.62) < 0.08 ? 0.55 : 1;
			for (let c = 0; c < 3; c++) raw[row + 1 + x * 3 + c] = Math.round((from[c] + (to[c] - from[c]) * t) * band);
		}
	}
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const out = Buffer.alloc(body.length + 8);
		out.writeUInt32BE(data.length, 0);
		body.copy(out, 4);
		out.writeUInt32BE(crc32(body), body.length + 4);
		return out;
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
	const png = Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0))
	]);
	return new Uint8Array(png);
}

export interface SampleOptions {
	locale?: Locale;
	/** LYON unless told; its city, unaccented and upper-cased, is the site code of the numbers. */
	issuer?: Issuer;
	/** No number, as an unissued document. */
	draft?: boolean;
	/** Stretch the lines to `lineCount`, cycling through the sample's own, each numbered "#n". */
	lineCount?: number;
	/** A logo on the issuer and, on condition reports, four photos. */
	withImages?: boolean;
}

/** The sample's issue date: fixed, so that a model always renders the same bytes. */
const SAMPLE_DAY = '2025-03-12';

const siteCodeOf = (issuer: Issuer) => issuer.city.normalize('NFD').replace(/[^A-Za-z]/g, '').toUpperCase();

/** `count` lines cycling through `lines`, numbered when they repeat so that each is told apart. */
function longLines(lines: DocumentLine[], count: number): DocumentLine[] {
	return Array.from({ length: count }, (_, i) => {
		const line = lines[i % lines.length];
		return count > lines.length ? { ...line, description: `${line.description} #${i + 1}` } : line;
	});
}

const PHOTOS: [number, number, [number, number, number], [number, number, number]][] = [
	[640, 480, [180, 190, 200], [60, 70, 90]],
	[300, 400, [200, 170, 140], [90, 60, 40]],
	[800, 450, [150, 200, 170], [30, 80, 60]],
	[640, 480, [210, 210, 220], [110, 110, 140]]
];

/** `sampleDocument` of `kind`, issued by `issuer` on SAMPLE_DAY, with the test's variations. */
export function sampleModel(kind: DocumentKind, options: SampleOptions = {}): DocumentModel {
	const { locale = 'fr', issuer = LYON, draft = false, withImages = true } = options;
	const model = sampleDocument({
		kind,
		locale,
		issuer: withImages ? { ...issuer, logo: samplePng(360, 110, [30, 58, 95], [46, 125, 160]) } : issuer,
		siteCode: siteCodeOf(issuer),
		today: SAMPLE_DAY,
		// Each site is its own company, with its own legal form.
		texts: issuer.legalName.endsWith('SARL') ? { footer: locale === 'fr' ? 'société à responsabilité limitée' : 'private limited company (SARL)' } : {}
	});
	if (draft) model.number = null;
	if (options.lineCount !== undefined && model.lines) {
		model.lines = longLines(model.lines, options.lineCount);
		model.totals = invoiceTotals(model.lines);
	}
	if (withImages && (kind === 'delivery_report' || kind === 'inspection_report')) model.photos = PHOTOS.map((args) => samplePng(...args));
	return model;
}
