import { m } from '$lib/paraglide/messages';
import type { DocumentKind } from '$lib/server/documents/model';

/** The seven kinds of document, in the reader's language (the order of the picker). */
export const kindLabels: Record<DocumentKind, () => string> = {
	invoice: m.doctpl_kind_invoice,
	credit_note: m.doctpl_kind_credit_note,
	delivery_report: m.doctpl_kind_delivery_report,
	inspection_report: m.doctpl_kind_inspection_report,
	transfer_note: m.doctpl_kind_transfer_note,
	purchase_order: m.doctpl_kind_purchase_order,
	sale_invoice: m.doctpl_kind_sale_invoice
};

export const kindLabel = (kind: DocumentKind) => kindLabels[kind]();
