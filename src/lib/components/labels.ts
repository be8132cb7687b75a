import { m } from '$lib/paraglide/messages';
import type { AppRole, Section } from '$lib/domain/roles';
import type { NotificationKind } from '$lib/server/notify/kinds';

/**
 * Words for the domain's codes (roles, statuses, sections) in the reader's language. Kept as
 * functions so each lookup reads the locale of the current request or page.
 */

export type TaskStatus = 'todo' | 'planned' | 'in_progress' | 'done' | 'validated' | 'cancelled';
export type VehicleStatus =
	| 'expected'
	| 'on_site'
	| 'in_service'
	| 'ready'
	| 'in_transit'
	| 'delivered'
	| 'in_stock'
	| 'reserved'
	| 'sold';

/** The colour family of each state, shared by pills, counters and progress bars. */
export type Tone = 'neutral' | 'planned' | 'progress' | 'done' | 'validated' | 'cancelled' | 'transit';

const roleLabels: Record<AppRole, () => string> = {
	operator: m.role_operator,
	team_lead: m.role_team_lead,
	csm: m.role_csm,
	sales: m.role_sales,
	site_manager: m.role_site_manager,
	director: m.role_director,
	driver: m.role_driver,
	client: m.role_client,
	admin: m.role_admin
};

const sectionLabels: Record<Section, () => string> = {
	today: m.section_today,
	board: m.section_board,
	yard: m.section_yard,
	orders: m.section_orders,
	invoices: m.invoice_section,
	prices: m.price_section,
	stock: m.section_stock,
	transfers: m.section_transfers,
	drivers: m.drivers_section,
	convoy: m.convoy_nav,
	crm: m.crm_nav,
	sites: m.sites_nav,
	tickets: m.section_tickets,
	kpi: m.section_kpi,
	admin: m.section_admin,
	portal: m.section_portal
};

const taskStatusLabels: Record<TaskStatus, () => string> = {
	todo: m.task_status_todo,
	planned: m.task_status_planned,
	in_progress: m.task_status_in_progress,
	done: m.task_status_done,
	validated: m.task_status_validated,
	cancelled: m.task_status_cancelled
};

const vehicleStatusLabels: Record<VehicleStatus, () => string> = {
	expected: m.vehicle_status_expected,
	on_site: m.vehicle_status_on_site,
	in_service: m.vehicle_status_in_service,
	ready: m.vehicle_status_ready,
	in_transit: m.vehicle_status_in_transit,
	delivered: m.vehicle_status_delivered,
	in_stock: m.vehicle_status_in_stock,
	reserved: m.vehicle_status_reserved,
	sold: m.vehicle_status_sold
};

export const taskTones: Record<TaskStatus, Tone> = {
	todo: 'neutral',
	planned: 'planned',
	in_progress: 'progress',
	done: 'done',
	validated: 'validated',
	cancelled: 'cancelled'
};

export const vehicleTones: Record<VehicleStatus, Tone> = {
	expected: 'neutral',
	on_site: 'planned',
	in_service: 'progress',
	ready: 'done',
	in_transit: 'transit',
	delivered: 'validated',
	in_stock: 'planned',
	reserved: 'transit',
	sold: 'validated'
};

export const roleLabel = (role: AppRole): string => roleLabels[role]();
export const sectionLabel = (section: Section): string => sectionLabels[section]();
export const taskStatusLabel = (status: TaskStatus): string => taskStatusLabels[status]();
export const vehicleStatusLabel = (status: VehicleStatus): string => vehicleStatusLabels[status]();

const notificationKindLabels: Record<NotificationKind, () => string> = {
	order_created: m.notify_kind_order_created,
	order_ready: m.notify_kind_order_ready,
	ticket_reply: m.notify_kind_ticket_reply,
	ticket_mention: m.notify_kind_ticket_mention,
	import_finished: m.notify_kind_import_finished,
	invoice_issued: m.notify_kind_invoice_issued,
	invoice_overdue: m.notify_kind_invoice_overdue,
	driver_document_expiring: m.notify_kind_driver_document_expiring,
	transfer_status: m.notify_kind_transfer_status
};

/** A notification kind in words; an unknown code (an old row) is shown as it is. */
export const notificationKindLabel = (kind: string): string => notificationKindLabels[kind as NotificationKind]?.() ?? kind;
