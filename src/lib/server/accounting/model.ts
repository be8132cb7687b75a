/**
 * What Relais hands to accounting: issued invoices and credit notes, flattened to what an
 * accounting package or a ledger file needs. Amounts are integer cents and VAT rates basis
 * points, so the exports format them and never round.
 */

export interface AccountingLine {
	description: string;
	quantity: number;
	/** Net unit price before the line discount; `netCents` is the line total after it. */
	unitPriceCents: number;
	/** Discount on the whole line, in cents. */
	discountCents: number;
	/** 2000 = 20 %. */
	vatRateBp: number;
	netCents: number;
	vatCents: number;
}

export interface AccountingInvoice {
	/** Our invoice uuid: the key that keeps exports idempotent. */
	id: string;
	kind: 'invoice' | 'credit_note';
	number: string;
	/** ISO date, YYYY-MM-DD. */
	issuedOn: string;
	/** ISO date, YYYY-MM-DD. */
	dueOn: string | null;
	/** For a credit note, the number of the invoice it credits. */
	creditsNumber: string | null;
	site: { code: string; legalName: string };
	customer: {
		/** Our client account uuid. */
		id: string;
		name: string;
		email: string | null;
		/** The customer's id in the accounting package, once known. */
		remoteId: string | null;
	};
	lines: AccountingLine[];
	/** Credit notes carry positive amounts; `kind` says the sign. */
	netCents: number;
	vatCents: number;
	grossCents: number;
}

export interface ExportResult {
	customerRemoteId: string;
	invoiceRemoteId: string;
	/** False when the invoice already existed remotely (an earlier export, or a retry that landed). */
	created: boolean;
}

export interface AccountingAdapter {
	readonly name: string;
	exportInvoice(invoice: AccountingInvoice): Promise<ExportResult>;
}
