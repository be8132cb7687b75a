import { m } from '$lib/paraglide/messages';
import { intlLocale } from '../format';
import type { Tone } from '../labels';

/**
 * Words and colours for invoices, shared by the staff screens and the portal. The types mirror
 * the database enums (migration 20261203000100); components never import server modules.
 */

export const invoiceStatuses = ['draft', 'issued', 'sent', 'paid', 'overdue'] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];
export type InvoiceKind = 'invoice' | 'credit_note';
export type ExportStatus = 'pending' | 'exported' | 'failed';

const statusLabels: Record<InvoiceStatus, () => string> = {
	draft: m.invoice_status_draft,
	issued: m.invoice_status_issued,
	sent: m.invoice_status_sent,
	paid: m.invoice_status_paid,
	overdue: m.invoice_status_overdue
};

export const invoiceStatusTones: Record<InvoiceStatus, Tone> = {
	draft: 'neutral',
	issued: 'planned',
	sent: 'transit',
	paid: 'done',
	overdue: 'cancelled'
};

const exportLabels: Record<ExportStatus, () => string> = {
	pending: m.invoice_export_pending,
	exported: m.invoice_export_exported,
	failed: m.invoice_export_failed
};

export const invoiceStatusLabel = (status: InvoiceStatus): string => statusLabels[status]();
export const exportStatusLabel = (status: ExportStatus): string => exportLabels[status]();

/** The number, or "Draft" (a draft has none until it is issued). */
export function invoiceTitle(invoice: { kind: InvoiceKind; number: string | null }): string {
	if (invoice.number) return invoice.number;
	return invoice.kind === 'credit_note' ? m.invoice_credit_note_draft() : m.invoice_draft();
}

/** The French VAT rates a manual line may carry, in basis points (2000 = 20 %). */
export const vatRatesBp = [2000, 1000, 550, 210, 0] as const;

/** 550 → "5,5 %" in French, "5.5%" in English. */
export function formatRate(rateBp: number): string {
	return new Intl.NumberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 2 }).format(rateBp / 10_000);
}
