import type pg from 'pg';
import { asService } from '../db/pool';
import { notify } from './index';

/**
 * The events that exist today, worded for the people concerned. Each runs after its
 * transaction committed and never fails the action that caused it: a notification lost to an
 * error is logged, the order stays taken.
 */

/** A new order: the site's CSMs and site managers hear of it, except whoever took it. */
export async function notifyOrderCreated(pool: pg.Pool, input: { orderId: string }): Promise<void> {
	try {
		const order = await asService(pool, async (sql) => {
			const { rows } = await sql.query<{ reference: string; client: string; vehicles: number; deadline: string; recipients: string[] }>(
				`select o.reference, ca.name as client, to_char(o.deadline, 'YYYY-MM-DD') as deadline,
				        (select count(distinct t.vehicle_id)::int from public.tasks t where t.order_id = o.id) as vehicles,
				        array(select distinct m.user_id from public.memberships m
				              where m.site_id = o.site_id and m.role in ('csm', 'site_manager') and m.user_id is distinct from o.created_by) as recipients
				 from public.orders o join public.client_accounts ca on ca.id = o.client_account_id
				 where o.id = $1`,
				[input.orderId]
			);
			return rows[0];
		});
		if (!order || order.recipients.length === 0) return;
		await notify(pool, {
			kind: 'order_created',
			recipients: order.recipients,
			subject: { table: 'orders', id: input.orderId },
			title: { fr: `Nouvelle commande ${order.reference} · ${order.client}`, en: `New order ${order.reference} · ${order.client}` },
			body: {
				fr: `${order.vehicles} véhicule${order.vehicles > 1 ? 's' : ''}, échéance le ${order.deadline}.`,
				en: `${order.vehicles} vehicle${order.vehicles > 1 ? 's' : ''}, due ${order.deadline}.`
			},
			link: `/orders/${input.orderId}`
		});
	} catch (err) {
		console.error(`[notify] order ${input.orderId}: ${(err as Error).message}`);
	}
}

/**
 * An order's last task is done: its client account's users hear of it. Once per order: a task
 * reopened and finished again does not tell them a second time.
 */
export async function notifyOrderReady(pool: pg.Pool, input: { orderId: string }): Promise<void> {
	try {
		const order = await asService(pool, async (sql) => {
			const { rows } = await sql.query<{ reference: string; vehicles: number; recipients: string[] }>(
				`select o.reference,
				        (select count(distinct t.vehicle_id)::int from public.tasks t where t.order_id = o.id and t.status <> 'cancelled') as vehicles,
				        array(select cm.user_id from public.client_members cm where cm.client_account_id = o.client_account_id) as recipients
				 from public.orders o
				 where o.id = $1
				   and not exists (select 1 from public.notifications n where n.kind = 'order_ready' and n.subject_table = 'orders' and n.subject_id = o.id)`,
				[input.orderId]
			);
			return rows[0];
		});
		if (!order || order.recipients.length === 0) return;
		await notify(pool, {
			kind: 'order_ready',
			recipients: order.recipients,
			subject: { table: 'orders', id: input.orderId },
			title: { fr: `Commande ${order.reference} prête`, en: `Order ${order.reference} ready` },
			body: {
				fr: `Les travaux sont terminés sur ${order.vehicles} véhicule${order.vehicles > 1 ? 's' : ''}.`,
				en: `Work is finished on ${order.vehicles} vehicle${order.vehicles > 1 ? 's' : ''}.`
			},
			link: `/portal/orders/${input.orderId}`
		});
	} catch (err) {
		console.error(`[notify] order ${input.orderId} ready: ${(err as Error).message}`);
	}
}

/** An invoice or credit note was issued: its client account's users hear of it, with the amount. */
export async function notifyInvoiceIssued(pool: pg.Pool, input: { invoiceId: string }): Promise<void> {
	try {
		const invoice = await asService(pool, async (sql) => {
			const { rows } = await sql.query<{ number: string; kind: 'invoice' | 'credit_note'; gross: number; due: string | null; recipients: string[] }>(
				`select i.number, i.kind, i.gross_cents as gross, to_char(i.due_on, 'YYYY-MM-DD') as due,
				        array(select cm.user_id from public.client_members cm where cm.client_account_id = i.client_account_id) as recipients
				 from public.invoices i where i.id = $1 and i.status <> 'draft'`,
				[input.invoiceId]
			);
			return rows[0];
		});
		if (!invoice || invoice.recipients.length === 0) return;
		const amount = { fr: `${(invoice.gross / 100).toFixed(2).replace('.', ',')} €`, en: `€${(invoice.gross / 100).toFixed(2)}` };
		const credit = invoice.kind === 'credit_note';
		await notify(pool, {
			kind: 'invoice_issued',
			recipients: invoice.recipients,
			subject: { table: 'invoices', id: input.invoiceId },
			title: credit
				? { fr: `Avoir ${invoice.number} · ${amount.fr} TTC`, en: `Credit note ${invoice.number} · ${amount.en} incl. VAT` }
				: { fr: `Facture ${invoice.number} · ${amount.fr} TTC`, en: `Invoice ${invoice.number} · ${amount.en} incl. VAT` },
			body: credit
				? { fr: 'Le PDF est disponible dans votre espace.', en: 'The PDF is in your portal.' }
				: { fr: `À régler avant le ${invoice.due}. Le PDF est disponible dans votre espace.`, en: `Due ${invoice.due}. The PDF is in your portal.` },
			link: `/portal/invoices/${input.invoiceId}`
		});
	} catch (err) {
		console.error(`[notify] invoice ${input.invoiceId} issued: ${(err as Error).message}`);
	}
}
