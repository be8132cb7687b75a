import { m } from '$lib/paraglide/messages';
import type { DamageKind, DamagePoint, DamageZone } from '$lib/domain/yard/damage';
import type { Sql } from '$lib/server/db/pool';
import type { Storage } from '$lib/server/storage';
import type { Damage, DocumentModel, Locale } from './model';
import { renderDocument } from './render';
import { issuerOf, templateTexts } from './store';

/**
 * The report of a vehicle inspection, as a PDF: an état des lieux for a gate-in, a procès-verbal
 * de livraison for a gate-out. Built on demand from the inspection row read as the person (so
 * the site's staff and the vehicle's client get it, nobody else), with the site's legal details
 * and template texts, the damage points named by part, and the photos.
 */
export interface InspectionReport {
	pdf: Uint8Array;
	fileName: string;
}

interface Row {
	id: string;
	site_id: string;
	created_on: string;
	mileage_km: number | null;
	energy_level_percent: number | null;
	damages: DamagePoint[];
	photos: { key: string; type: string }[];
	comments: string | null;
	movement_kind: 'gate_in' | 'gate_out' | 'bay_move' | null;
	order_reference: string | null;
	plate: string | null;
	vin: string;
	make: string;
	model: string;
	client_name: string | null;
	client_email: string | null;
}

// Message functions take the locale explicitly: a report is printed in the reader's language
// whatever the request's.
type Message = (inputs: Record<string, never>, options: { locale: Locale }) => string;
const message = (key: string): Message => (m as unknown as Record<string, Message>)[key];
const zoneName = (zone: DamageZone, locale: Locale) => message(`gate_zone_${zone}`)({}, { locale });
const kindName = (kind: DamageKind, locale: Locale) => message(`gate_kind_${kind}`)({}, { locale });

const SEVERITY: Record<Locale, Record<DamagePoint['severity'], string>> = {
	fr: { 1: 'léger', 2: 'visible', 3: 'à réparer avant livraison' },
	en: { 1: 'light', 2: 'visible', 3: 'to repair before delivery' }
};

/** How a damage point reads on paper: the part, then what and how bad. */
export function damageLine(point: DamagePoint, locale: Locale): Damage {
	const what = `${kindName(point.kind, locale)} (${SEVERITY[locale][point.severity]})`;
	return { zone: zoneName(point.zone, locale), note: point.note ? `${what} — ${point.note}` : what };
}

// pdfkit draws JPEG and PNG only; the phones send JPEG.
const PRINTABLE = new Set(['image/jpeg', 'image/png']);

export async function inspectionReport(sql: Sql, store: Storage, inspectionId: string, locale: Locale): Promise<InspectionReport | null> {
	const { rows } = await sql.query<Row>(
		`select i.id, i.site_id, (i.created_at at time zone s.timezone)::date::text as created_on,
		        i.mileage_km, i.energy_level_percent, i.damages, i.photos, i.comments,
		        mv.kind as movement_kind, o.reference as order_reference,
		        v.plate, v.vin, v.make, v.model, c.name as client_name, c.billing_email as client_email
		 from public.inspections i
		 join public.sites s on s.id = i.site_id
		 join public.vehicles v on v.id = i.vehicle_id
		 left join public.movements mv on mv.id = i.movement_id
		 left join public.orders o on o.id = mv.order_id
		 left join public.client_accounts c on c.id = i.client_account_id
		 where i.id = $1`,
		[inspectionId]
	);
	const row = rows[0];
	if (!row) return null;
	const kind = row.movement_kind === 'gate_out' ? 'delivery_report' : 'inspection_report';
	const issuer = await issuerOf(sql, store, row.site_id);
	if (!issuer) return null;

	const photos: Uint8Array[] = [];
	for (const photo of row.photos.filter((p) => PRINTABLE.has(p.type))) {
		const bytes = await store.get(photo.key);
		if (bytes) photos.push(bytes);
	}
	const prefix = kind === 'delivery_report' ? (locale === 'fr' ? 'PVL' : 'DR') : locale === 'fr' ? 'EDL' : 'IR';
	const number = `${prefix}-${row.id.slice(0, 8).toUpperCase()}`;
	const model: DocumentModel = {
		kind,
		locale,
		issuer,
		recipient: {
			name: row.client_name ?? issuer.name,
			addressLines: row.client_name ? [] : [issuer.addressLine, `${issuer.postcode} ${issuer.city}`],
			email: row.client_email
		},
		number,
		issuedOn: row.created_on,
		reference: row.order_reference,
		vehicles: [
			{ plate: row.plate, vin: row.vin, make: row.make, model: row.model, mileageKm: row.mileage_km, energyLevelPercent: row.energy_level_percent }
		],
		damages: row.damages.map((point) => damageLine(point, locale)),
		photos,
		notes: row.comments,
		texts: await templateTexts(sql, row.site_id, kind, locale)
	};
	return { pdf: await renderDocument(model), fileName: `${number}.pdf` };
}
