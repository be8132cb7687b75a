/**
 * Invoice arithmetic, in integer cents.
 *
 * - A line's net is quantity × unit price − its discount (exact, no rounding).
 * - VAT is rounded once per rate on the invoice: the nets of a rate are summed, multiplied by
 *   the rate, and rounded half away from zero. This is the rule French invoices commonly use
 *   (one VAT amount per rate in the recap) and the one the database applies
 *   (private.refresh_invoice_totals); rounding each line first can drift by a cent per line.
 * - Credit notes carry positive amounts; their kind gives the sign in accounting.
 */

export interface PricedLine {
	quantity: number;
	unitPriceCents: number;
	discountCents: number;
	vatRateBp: number;
	/** Removed lines stay on a draft for the record but count for nothing. */
	removed?: boolean;
}

export interface VatBucket {
	rateBp: number;
	baseCents: number;
	vatCents: number;
}

export interface Totals {
	netCents: number;
	vat: VatBucket[];
	vatCents: number;
	grossCents: number;
}

export function lineNet(line: PricedLine): number {
	return line.quantity * line.unitPriceCents - line.discountCents;
}

/** Half away from zero, as Postgres rounds numerics. */
export function roundHalfAwayFromZero(value: number): number {
	return Math.sign(value) * Math.round(Math.abs(value));
}

export function vatOf(baseCents: number, rateBp: number): number {
	return roundHalfAwayFromZero((baseCents * rateBp) / 10_000);
}

export function invoiceTotals(lines: readonly PricedLine[]): Totals {
	const bases = new Map<number, number>();
	for (const line of lines) {
		if (line.removed) continue;
		bases.set(line.vatRateBp, (bases.get(line.vatRateBp) ?? 0) + lineNet(line));
	}
	const vat = [...bases]
		.sort(([a], [b]) => b - a)
		.map(([rateBp, baseCents]) => ({ rateBp, baseCents, vatCents: vatOf(baseCents, rateBp) }));
	const netCents = vat.reduce((sum, b) => sum + b.baseCents, 0);
	const vatCents = vat.reduce((sum, b) => sum + b.vatCents, 0);
	return { netCents, vat, vatCents, grossCents: netCents + vatCents };
}

/** The other rule (VAT rounded on every line, then summed), kept to show the difference. */
export function perLineVat(lines: readonly PricedLine[]): number {
	return lines.filter((l) => !l.removed).reduce((sum, l) => sum + vatOf(lineNet(l), l.vatRateBp), 0);
}
