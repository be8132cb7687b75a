import type { Sql } from '$lib/server/db/pool';
import type { DocumentLine, DocumentModel, Locale } from '$lib/server/documents/model';
import { renderDocument } from '$lib/server/documents/render';
import { issuerOf, templateTexts } from '$lib/server/documents/store';
import type { Storage } from '$lib/server/storage';
import { invoiceTotals } from '$lib/domain/invoicing/totals';

/**
 * The sale documents of a quote: the quote itself (devis) until it is accepted, the order
 * (bon de commande) after. Both are the `purchase_order` template of the SELLING site (its
 * legal details, its wording); the quote only changes the title and the intro. Rendered on
 * demand, never stored: whoever reads the quote (RLS on `quotes`) may download it.
 */

/** Prices in stock and on quotes include VAT at the standard rate; the document shows the split. */
const VAT_BP = 2000;

const texts = {
	quoteTitle: (l: Locale) => (l === 'fr' ? 'Devis' : 'Quote'),
	quoteIntro: (l: Locale) =>
		l === 'fr'
			? 'Proposition de vente du véhicule désigné ci-dessous, aux prix et conditions indiqués, valable jusqu’à la date d’échéance.'
			: 'Offer to sell the vehicle listed below, at the price and on the terms stated, valid until the due date.',
	validity: (date: string, l: Locale) => (l === 'fr' ? `Offre valable jusqu’au ${date}.` : `Offer valid until ${date}.`),
	vehicleAt: (site: string, l: Locale) =>
		l === 'fr' ? `Véhicule actuellement sur le site ${site} ; il sera acheminé vers le site vendeur.` : `Vehicle currently at ${site}; it will be brought to the selling site.`
};

interface Head {
	number: string;
	status: string;
	priceCents: number;
	validUntil: string | null;
	createdOn: string;
	acceptedOn: string | null;
	sellingSiteId: string;
	customer: string;
	email: string | null;
	phone: string | null;
	postcode: string | null;
	city: string | null;
	plate: string | null;
	vin: string | null;
	make: string | null;
	model: string | null;
	mileageKm: number | null;
	vehicleSiteId: string | null;
	vehicleSite: string | null;
}

/** The document as it prints, read as the person; null when they may not read the quote. */
export async function saleDocument(sql: Sql, store: Storage, quoteId: string, locale: Locale): Promise<DocumentModel | null> {
	const { rows } = await sql.query<Head>(
		`select q.number, q.status, q.price_cents::float8 as "priceCents", q.valid_until::text as "validUntil",
		        to_char(q.created_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as "createdOn",
		        to_char(q.accepted_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as "acceptedOn",
		        q.selling_site_id as "sellingSiteId", concat_ws(' ', c.first_name, c.last_name) as customer,
		        c.email, c.phone, c.postcode, c.city,
		        v.plate, v.vin, v.make, v.model, v.mileage_km as "mileageKm", v.site_id as "vehicleSiteId", vs.name as "vehicleSite"
		 from public.quotes q
		 join public.customers c on c.id = q.customer_id
		 left join public.vehicles v on v.id = q.vehicle_id
		 left join public.sites vs on vs.id = v.site_id
		 where q.id = $1`,
		[quoteId]
	);
	const head = rows[0];
	if (!head) return null;
	const issuer = await issuerOf(sql, store, head.sellingSiteId);
	if (!issuer) return null;
	const order = head.status === 'accepted';
	const template = await templateTexts(sql, head.sellingSiteId, 'purchase_order', locale);

	// The price is all taxes included: the net is what, with VAT at 20 %, gives it back.
	const net = Math.round((head.priceCents * 10_000) / (10_000 + VAT_BP));
	const line: DocumentLine = {
		description: head.make ? `${head.make} ${head.model}` : head.number,
		detail: [head.plate, head.vin].filter(Boolean).join(' · ') || null,
		quantity: 1,
		unitPriceCents: net,
		discountCents: 0,
		vatRateBp: VAT_BP,
		netCents: net
	};
	const notes = [
		head.validUntil && !order ? texts.validity(head.validUntil, locale) : null,
		head.vehicleSiteId && head.vehicleSiteId !== head.sellingSiteId && head.vehicleSite ? texts.vehicleAt(head.vehicleSite, locale) : null
	].filter(Boolean);
	return {
		kind: 'purchase_order',
		locale,
		issuer,
		recipient: {
			name: head.customer,
			addressLines: [[head.postcode, head.city].filter(Boolean).join(' '), head.phone ?? ''].filter(Boolean),
			email: head.email
		},
		number: head.number,
		issuedOn: order && head.acceptedOn ? head.acceptedOn : head.createdOn,
		dueOn: order ? null : head.validUntil,
		lines: [line],
		totals: invoiceTotals([line]),
		vehicles: head.vin && head.make ? [{ plate: head.plate, vin: head.vin, make: head.make, model: head.model ?? '', mileageKm: head.mileageKm }] : [],
		notes: notes.join('\n') || null,
		texts: order ? template : { ...template, title: texts.quoteTitle(locale), intro: texts.quoteIntro(locale) }
	};
}

/** The PDF bytes and file name; null when the person may not read the quote. */
export async function saleDocumentPdf(sql: Sql, store: Storage, quoteId: string, locale: Locale): Promise<{ bytes: Uint8Array; fileName: string } | null> {
	const model = await saleDocument(sql, store, quoteId, locale);
	if (!model) return null;
	return { bytes: await renderDocument(model), fileName: `${model.number}.pdf` };
}
