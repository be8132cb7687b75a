/**
 * What a printed document says, independent of how it is laid out. Builders elsewhere turn
 * orders, transfers and inspections into a `DocumentModel`; `renderDocument` turns it into a PDF.
 * Amounts are integer cents and VAT rates basis points, so nothing here rounds.
 */

export const DOCUMENT_KINDS = [
	'invoice',
	'credit_note',
	'delivery_report',
	'inspection_report',
	'transfer_note',
	'purchase_order',
	'sale_invoice'
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export type Locale = 'fr' | 'en';

/** The legal entity of the site issuing the document: each site may be its own company. */
export interface Issuer {
	name: string;
	legalName: string;
	siret: string;
	vatNumber: string;
	shareCapitalCents: number;
	addressLine: string;
	postcode: string;
	city: string;
	/** PNG or JPEG. */
	logo?: Uint8Array | null;
}

export interface Party {
	name: string;
	addressLines: string[];
	email?: string | null;
	vatNumber?: string | null;
}

/** Admin-editable texts per site × kind × locale; any missing field falls back to the default. */
export interface TemplateTexts {
	title?: string;
	intro?: string;
	paymentTerms?: string;
	legalMentions?: string;
	footer?: string;
}

export interface DocumentLine {
	description: string;
	/** Plate · VIN, or any second line under the description. */
	detail?: string | null;
	quantity: number;
	unitPriceCents: number;
	discountCents: number;
	/** 2000 = 20 %. */
	vatRateBp: number;
	netCents: number;
}

import type { Totals } from '../../domain/invoicing/totals';

// Invoice arithmetic is the invoicing domain's; documents print what it computed.
export type { Totals, VatBucket } from '../../domain/invoicing/totals';

export interface VehicleFacts {
	plate?: string | null;
	vin: string;
	make: string;
	model: string;
	mileageKm?: number | null;
	energyLevelPercent?: number | null;
}

export interface Damage {
	zone: string;
	note: string;
}

export interface DocumentModel {
	kind: DocumentKind;
	locale: Locale;
	issuer: Issuer;
	recipient: Party;
	/** Null for a draft, which is rendered with a visible "BROUILLON" / "DRAFT" mark. */
	number: string | null;
	/** ISO date, yyyy-mm-dd. */
	issuedOn: string;
	dueOn?: string | null;
	/** Order, transfer or sale reference. */
	reference?: string | null;
	/** A credit note names the invoice it corrects. */
	creditsNumber?: string | null;
	lines?: DocumentLine[];
	totals?: Totals;
	discountNote?: string | null;
	/** Reports and notes. */
	vehicles?: VehicleFacts[];
	/** Inspection and delivery reports. */
	damages?: Damage[];
	/** JPEG or PNG. */
	photos?: Uint8Array[];
	/** Transfer note. */
	route?: { from: string; to: string; driver?: string | null } | null;
	notes?: string | null;
	texts: TemplateTexts;
}
