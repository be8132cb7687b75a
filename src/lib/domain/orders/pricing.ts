/**
 * Which line of the price list applies to a service on a given day (table `public.prices`).
 * Dates are calendar days as 'YYYY-MM-DD' strings: that form sorts like the dates it names, so
 * plain string comparison is exact and no time zone can shift a day.
 */

export interface PriceListEntry {
	id: string;
	siteId: string;
	serviceId: string;
	/** Set for a price negotiated with one client; null for the site's general price. */
	clientAccountId: string | null;
	unitPriceCents: number;
	validFrom: string;
	/** Last day the price applies (inclusive); null while it has no end. */
	validTo: string | null;
}

export interface AppliedPrice {
	unitPriceCents: number;
	priceId: string;
}

export interface PriceQuery {
	prices: readonly PriceListEntry[];
	serviceId: string;
	siteId: string;
	/** Null when nobody's negotiated prices apply (the general price only). */
	clientAccountId: string | null;
	on: string;
}

function isValidOn(price: PriceListEntry, day: string): boolean {
	return price.validFrom <= day && (price.validTo === null || day <= price.validTo);
}

/** The newest line wins: a new price is entered with a later start without closing the old one. */
function latest(candidates: PriceListEntry[]): PriceListEntry | undefined {
	// Same start day: the lower id wins, only so that the answer never depends on row order.
	return candidates.reduce<PriceListEntry | undefined>((best, price) => {
		if (!best || price.validFrom > best.validFrom) return price;
		if (price.validFrom === best.validFrom && price.id < best.id) return price;
		return best;
	}, undefined);
}

/**
 * A client's own price valid that day beats the general one, whatever their start dates: the
 * override was negotiated on purpose and must not be undone by a later general increase.
 */
export function priceFor({ prices, serviceId, siteId, clientAccountId, on }: PriceQuery): AppliedPrice | null {
	const valid = prices.filter((p) => p.siteId === siteId && p.serviceId === serviceId && isValidOn(p, on));
	const override = clientAccountId === null ? undefined : latest(valid.filter((p) => p.clientAccountId === clientAccountId));
	const chosen = override ?? latest(valid.filter((p) => p.clientAccountId === null));
	return chosen ? { unitPriceCents: chosen.unitPriceCents, priceId: chosen.id } : null;
}
