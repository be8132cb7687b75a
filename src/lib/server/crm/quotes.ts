import { z } from 'zod';
import type { Sql } from '$lib/server/db/pool';
import { TransferError } from '$lib/server/transfers/errors';
import { requestTransfer } from '$lib/server/transfers/service';
import { validate } from '$lib/validation';
import { CrmError, type Locale } from './pipeline';

/**
 * Quotes and orders, as the signed-in person (RLS: the group's sellers read every quote, those
 * of the selling site write it). A quote names a vehicle of the whole group's dealer stock as
 * the person reads it (public.stock_vehicles); the selling site is the person's current CRM
 * site. Accepting a quote makes it the order and moves its lead to the `order` stage.
 */

export const quoteStatuses = ['draft', 'sent', 'accepted', 'declined'] as const;
export type QuoteStatus = (typeof quoteStatuses)[number];

/** Where a quote may go from each status; accepted and declined are final. */
export const nextStatuses: Record<QuoteStatus, readonly QuoteStatus[]> = {
	draft: ['sent', 'accepted', 'declined'],
	sent: ['accepted', 'declined'],
	accepted: [],
	declined: []
};

const texts = {
	vehicle: (l: Locale) => (l === 'fr' ? 'Choisissez un véhicule du stock du groupe.' : 'Choose a vehicle of the group’s stock.'),
	customer: (l: Locale) => (l === 'fr' ? 'Client ou piste introuvable.' : 'Customer or lead not found.'),
	price: (l: Locale) => (l === 'fr' ? 'Ce véhicule n’a pas de prix de vente : indiquez un prix.' : 'This vehicle has no sale price: enter a price.'),
	notFound: (l: Locale) => (l === 'fr' ? 'Devis introuvable.' : 'Quote not found.'),
	step: (l: Locale) => (l === 'fr' ? 'Ce devis ne peut plus passer à ce statut.' : 'This quote can no longer take this status.'),
	forbidden: (l: Locale) => (l === 'fr' ? 'Seuls les vendeurs du site vendeur modifient ce devis.' : 'Only the selling site’s sellers change this quote.'),
	sameSite: (l: Locale) => (l === 'fr' ? 'Le véhicule est déjà sur le site vendeur.' : 'The vehicle already stands at the selling site.'),
	hasTransfer: (l: Locale) => (l === 'fr' ? 'Un transfert est déjà demandé pour ce devis.' : 'A transfer is already requested for this quote.'),
	reason: (n: string, l: Locale) => (l === 'fr' ? `Vente, devis ${n}` : `Sale, quote ${n}`)
};

export interface QuoteVehicle {
	id: string;
	plate: string | null;
	vin: string;
	label: string;
	siteId: string;
	siteCode: string;
	salePriceCents: number | null;
}

/** Dealer stock the person reads (their sites, or the group for sales when allowed), by plate, make or model. */
export async function searchQuoteVehicles(sql: Sql, q: string): Promise<QuoteVehicle[]> {
	const { rows } = await sql.query<QuoteVehicle>(
		`select sv.id, sv.plate, sv.vin, sv.make || ' ' || sv.model as label, sv.site_id as "siteId", s.code as "siteCode",
		        sv.sale_price_cents::float8 as "salePriceCents"
		 from public.stock_vehicles sv join public.sites s on s.id = sv.site_id
		 where sv.status not in ('delivered', 'sold')
		   and ($1 = '' or sv.plate ilike '%' || $1 || '%' or sv.vin ilike '%' || $1 || '%'
		        or (sv.make || ' ' || sv.model) ilike '%' || $1 || '%')
		 order by sv.make, sv.model, sv.plate nulls last
		 limit 30`,
		[q.replace(/[\\%_]/g, (c) => `\\${c}`)]
	);
	return rows;
}

const createSchema = z
	.object({
		leadId: z.guid().optional(),
		customerId: z.guid().optional(),
		vehicleId: z.guid(),
		/** Euros as typed; empty: the vehicle's sale price. */
		priceCents: z.coerce.number().int().positive().max(100_000_000_00).optional(),
		validUntil: z.iso.date().optional()
	})
	.strict();

/** Creates a draft quote sold by `sellingSiteId`; a lead not yet quoted moves to the `quote` stage. */
export async function createQuote(sql: Sql, input: unknown, sellingSiteId: string, locale: Locale): Promise<{ id: string; number: string }> {
	const parsed = validate(createSchema, input, locale);
	if (!parsed.ok) throw new CrmError(400, parsed.errors);
	const v = parsed.data;

	const { rows: who } = await sql.query<{ customerId: string }>(
		v.leadId
			? `select customer_id as "customerId" from public.leads where id = $1`
			: `select id as "customerId" from public.customers where id = $1`,
		[v.leadId ?? v.customerId ?? null]
	);
	if (!who[0]) throw new CrmError(404, { '': [texts.customer(locale)] });

	const { rows: vehicles } = await sql.query<{ price: number | null }>(
		`select sale_price_cents::float8 as price from public.stock_vehicles where id = $1 and status not in ('delivered', 'sold')`,
		[v.vehicleId]
	);
	if (!vehicles[0]) throw new CrmError(400, { vehicleId: [texts.vehicle(locale)] });
	const price = v.priceCents ?? vehicles[0].price;
	if (!price) throw new CrmError(400, { price: [texts.price(locale)] });

	const { rows } = await sql.query<{ id: string; number: string }>(
		`insert into public.quotes (organisation_id, selling_site_id, lead_id, customer_id, vehicle_id, number, price_cents, valid_until)
		 select private.organisation_id(), $1, $2, $3, $4,
		        private.next_quote_number(private.organisation_id(), extract(year from now() at time zone 'Europe/Paris')::int),
		        $5, coalesce($6::date, (now() at time zone 'Europe/Paris')::date + 30)
		 returning id, number`,
		[sellingSiteId, v.leadId ?? null, who[0].customerId, v.vehicleId, price, v.validUntil ?? null]
	);
	if (v.leadId) {
		await sql.query(`update public.leads set stage = 'quote' where id = $1 and stage in ('new', 'contacted', 'test_drive')`, [v.leadId]);
	}
	return rows[0];
}

export interface QuoteDetail {
	id: string;
	number: string;
	status: QuoteStatus;
	priceCents: number;
	validUntil: string | null;
	createdOn: string;
	acceptedAt: string | null;
	sellingSiteId: string;
	sellingSite: string;
	leadId: string | null;
	leadStage: string | null;
	customerId: string;
	customer: string;
	customerEmail: string | null;
	customerPhone: string | null;
	vehicleId: string;
	/** null: the vehicle is not the reader's to see (another site's stock, for a manager). */
	vehicle: { label: string; plate: string | null; vin: string; mileageKm: number | null; siteId: string; siteCode: string; siteName: string } | null;
	transfer: { id: string; status: string } | null;
	/** The selling site is one the person works (RLS would refuse their writes otherwise). */
	canEdit: boolean;
}

/** A quote as the person reads it; null when they may not. */
export async function readQuote(sql: Sql, quoteId: string): Promise<QuoteDetail | null> {
	const { rows } = await sql.query<Omit<QuoteDetail, 'vehicle' | 'transfer'> & Record<string, unknown>>(
		`select q.id, q.number, q.status, q.price_cents::float8 as "priceCents", q.valid_until::text as "validUntil",
		        to_char(q.created_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as "createdOn", q.accepted_at as "acceptedAt",
		        q.selling_site_id as "sellingSiteId", ss.name as "sellingSite", q.lead_id as "leadId", l.stage as "leadStage",
		        q.customer_id as "customerId", concat_ws(' ', c.first_name, c.last_name) as customer,
		        c.email as "customerEmail", c.phone as "customerPhone", q.vehicle_id as "vehicleId",
		        v.make || ' ' || v.model as "vehicleLabel", v.plate, v.vin, v.mileage_km as "mileageKm",
		        v.site_id as "vehicleSiteId", vs.code as "vehicleSiteCode", vs.name as "vehicleSiteName",
		        t.id as "transferId", t.status as "transferStatus",
		        q.selling_site_id in (select private.crm_site_ids()) as "canEdit"
		 from public.quotes q
		 join public.sites ss on ss.id = q.selling_site_id
		 join public.customers c on c.id = q.customer_id
		 left join public.leads l on l.id = q.lead_id
		 left join public.vehicles v on v.id = q.vehicle_id
		 left join public.sites vs on vs.id = v.site_id
		 left join public.transfers t on t.id = q.transfer_id
		 where q.id = $1`,
		[quoteId]
	);
	const r = rows[0];
	if (!r) return null;
	return {
		id: r.id,
		number: r.number,
		status: r.status,
		priceCents: r.priceCents,
		validUntil: r.validUntil,
		createdOn: r.createdOn,
		acceptedAt: r.acceptedAt,
		sellingSiteId: r.sellingSiteId,
		sellingSite: r.sellingSite,
		leadId: r.leadId,
		leadStage: r.leadStage,
		customerId: r.customerId,
		customer: r.customer,
		customerEmail: r.customerEmail,
		customerPhone: r.customerPhone,
		vehicleId: r.vehicleId,
		vehicle: r.vehicleLabel
			? {
					label: r.vehicleLabel as string,
					plate: r.plate as string | null,
					vin: r.vin as string,
					mileageKm: r.mileageKm as number | null,
					siteId: r.vehicleSiteId as string,
					siteCode: r.vehicleSiteCode as string,
					siteName: r.vehicleSiteName as string
				}
			: null,
		transfer: r.transferId ? { id: r.transferId as string, status: r.transferStatus as string } : null,
		canEdit: r.canEdit
	};
}

const statusSchema = z.object({ quoteId: z.guid(), status: z.enum(quoteStatuses) }).strict();

/** Moves a quote on; accepting it makes the order and moves its lead to `order`. */
export async function setQuoteStatus(sql: Sql, input: unknown, locale: Locale): Promise<void> {
	const parsed = validate(statusSchema, input, locale);
	if (!parsed.ok) throw new CrmError(400, parsed.errors);
	const { quoteId, status } = parsed.data;
	const from = quoteStatuses.filter((s) => nextStatuses[s].includes(status));
	const { rows } = await sql.query<{ leadId: string | null }>(
		`update public.quotes set status = $2::public.quote_status, accepted_at = case when $2::public.quote_status = 'accepted' then now() else accepted_at end
		 where id = $1 and status = any ($3::public.quote_status[])
		 returning lead_id as "leadId"`,
		[quoteId, status, from]
	);
	if (!rows[0]) {
		const quote = await readQuote(sql, quoteId);
		if (!quote) throw new CrmError(404, { '': [texts.notFound(locale)] });
		throw quote.canEdit ? new CrmError(409, { '': [texts.step(locale)] }) : new CrmError(403, { '': [texts.forbidden(locale)] });
	}
	if (status === 'accepted' && rows[0].leadId) {
		await sql.query(`update public.leads set stage = 'order' where id = $1 and stage <> 'order'`, [rows[0].leadId]);
	}
}

/**
 * Asks for the quoted vehicle to be brought to the selling site, through the transfers' own
 * request (so their rules, trail and approval apply), and links the transfer to the quote.
 */
export async function requestQuoteTransfer(sql: Sql, quoteId: string, locale: Locale): Promise<{ transferId: string }> {
	const quote = z.guid().safeParse(quoteId).success ? await readQuote(sql, quoteId) : null;
	if (!quote) throw new CrmError(404, { '': [texts.notFound(locale)] });
	if (!quote.canEdit) throw new CrmError(403, { '': [texts.forbidden(locale)] });
	if (quote.transfer && quote.transfer.status !== 'cancelled') throw new CrmError(409, { '': [texts.hasTransfer(locale)] });
	if (!quote.vehicle) throw new CrmError(400, { '': [texts.vehicle(locale)] });
	if (quote.vehicle.siteId === quote.sellingSiteId) throw new CrmError(409, { '': [texts.sameSite(locale)] });
	try {
		const { id } = await requestTransfer(sql, { vehicleId: quote.vehicleId, toSiteId: quote.sellingSiteId, reason: texts.reason(quote.number, locale) }, locale);
		await sql.query(`update public.quotes set transfer_id = $2 where id = $1`, [quoteId, id]);
		return { transferId: id };
	} catch (err) {
		if (err instanceof TransferError) throw new CrmError(err.status, err.errors[''] ? err.errors : { '': Object.values(err.errors).flat() });
		throw err;
	}
}
