import type { DeliveryChannel } from './kinds';

/** One claimed delivery with everything a channel needs to send it. */
export interface DeliveryJob {
	id: string;
	channel: DeliveryChannel;
	/** This claim's attempt number (1 for the first try). */
	attempts: number;
	userId: string;
	email: string;
	fullName: string;
	phone: string | null;
	locale: 'fr' | 'en';
	title: string;
	body: string | null;
	link: string;
	subject: { table: 'orders' | 'ticket_threads' | 'transfers' | 'vehicles' | 'tasks'; id: string } | null;
	pushSubscriptions: { id: string; endpoint: string; p256dh: string; auth: string }[];
}

/**
 * A failure that trying again cannot fix (no phone number, an address the server refused for
 * good): the delivery is marked failed at once instead of being retried.
 */
export class PermanentDeliveryError extends Error {}

/** Sends one job on its channel; throws to have it retried. */
export type ChannelSender = (job: DeliveryJob) => Promise<void>;
