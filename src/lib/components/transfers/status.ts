import { m } from '$lib/paraglide/messages';

/** The statuses of a transfer in flight (received and cancelled ones leave the tracker). */
export const transferStatuses = ['requested', 'approved', 'driver_assigned', 'picked_up', 'in_transit', 'delivered'] as const;
export type OpenStatus = (typeof transferStatuses)[number];
export type TransferStatus = OpenStatus | 'received' | 'cancelled';

/** A step the person may take now on a transfer (each one a form action of /transfers). */
export type TransferAction = 'approve' | 'assign' | 'picked_up' | 'in_transit' | 'delivered' | 'receive' | 'cancel';

type Message = (inputs?: Record<string, never>, options?: { locale?: 'fr' | 'en' }) => string;

const labels: Record<TransferStatus, Message> = {
	requested: m.transfer_status_requested,
	approved: m.transfer_status_approved,
	driver_assigned: m.transfer_status_driver_assigned,
	picked_up: m.transfer_status_picked_up,
	in_transit: m.transfer_status_in_transit,
	delivered: m.transfer_status_delivered,
	received: m.trf_status_received,
	cancelled: m.trf_status_cancelled
};
/** In the reader's language, or in `locale` (a printed document's). */
export const transferStatusLabel = (s: string, locale?: 'fr' | 'en'): string => (s in labels ? labels[s as TransferStatus]({}, { locale }) : s);

/** Colours of the app's tones (src/app.css), one per status. */
export const transferTones: Record<TransferStatus, string> = {
	requested: 'neutral',
	approved: 'planned',
	driver_assigned: 'validated',
	picked_up: 'progress',
	in_transit: 'transit',
	delivered: 'done',
	received: 'done',
	cancelled: 'cancelled'
};

const actionLabels: Record<TransferAction, () => string> = {
	approve: m.trf_action_approve,
	assign: m.trf_action_assign,
	picked_up: m.trf_action_picked_up,
	in_transit: m.trf_action_in_transit,
	delivered: m.trf_action_delivered,
	receive: m.trf_action_receive,
	cancel: m.trf_action_cancel
};
export const transferActionLabel = (a: TransferAction): string => actionLabels[a]();
