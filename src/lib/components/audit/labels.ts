import { m } from '$lib/paraglide/messages';
import type { AuditEntry } from '$lib/server/audit';

/** Words for the audit trail's codes, in the reader's language; an unknown table keeps its name. */

const tables: Record<string, () => string> = {
	orders: m.audit_table_orders,
	tasks: m.audit_table_tasks,
	movements: m.audit_table_movements,
	transfers: m.audit_table_transfers,
	invoices: m.audit_table_invoices,
	invoice_lines: m.audit_table_invoice_lines,
	prices: m.audit_table_prices,
	document_templates: m.audit_table_document_templates
};

export const tableLabel = (table: string) => tables[table]?.() ?? table;

const ops: Record<AuditEntry['op'], () => string> = {
	insert: m.audit_op_insert,
	update: m.audit_op_update,
	delete: m.audit_op_delete
};

export const opLabel = (op: AuditEntry['op']) => ops[op]();

export const opTones: Record<AuditEntry['op'], string> = {
	insert: 'bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800',
	update: 'bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800',
	delete: 'bg-rose-50 text-rose-800 ring-rose-200 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-800'
};

export const valueWords = () => ({ yes: m.audit_yes(), no: m.audit_no(), none: '—' });
