import { describe, expect, it } from 'vitest';
import { appRoles } from '../../domain/roles';
import { backoffMs, defaultChoice, notificationKinds, resolvePreferences } from './kinds';

describe('default notification preferences', () => {
	it('tell clients by email when their order is ready or their ticket has a reply, not of new orders', () => {
		expect(defaultChoice('client', 'order_ready')).toEqual({ in_app: true, email: true, push: false, sms: false });
		expect(defaultChoice('client', 'ticket_reply')).toEqual({ in_app: true, email: true, push: false, sms: false });
		expect(defaultChoice('client', 'order_created')).toEqual({ in_app: false, email: false, push: false, sms: false });
	});

	it('tell CSMs by email of replies, mentions and new orders', () => {
		for (const kind of ['ticket_reply', 'ticket_mention', 'order_created'] as const) {
			expect(defaultChoice('csm', kind), kind).toMatchObject({ in_app: true, email: true });
		}
	});

	it('text drivers only, and only about their transfers and documents', () => {
		expect(defaultChoice('driver', 'transfer_status').sms).toBe(true);
		for (const role of appRoles) {
			for (const kind of notificationKinds) {
				const expected = role === 'driver' && (kind === 'transfer_status' || kind === 'driver_document_expiring');
				expect(defaultChoice(role, kind).sms, `${role} × ${kind}`).toBe(expected);
			}
		}
	});

	it('never email a kind that does not also show in the app', () => {
		for (const role of appRoles) {
			for (const kind of notificationKinds) {
				const choice = defaultChoice(role, kind);
				if (choice.email || choice.sms || choice.push) expect(choice.in_app, `${role} × ${kind}`).toBe(true);
			}
		}
	});

	it('a saved choice replaces the default of its kind only, and results are copies', () => {
		const off = { in_app: false, email: false, push: false, sms: false };
		const prefs = resolvePreferences('csm', { ticket_reply: off });
		expect(prefs.ticket_reply).toEqual(off);
		expect(prefs.ticket_mention).toEqual(defaultChoice('csm', 'ticket_mention'));
		expect(Object.keys(prefs)).toEqual([...notificationKinds]);
		prefs.ticket_mention.email = false;
		expect(defaultChoice('csm', 'ticket_mention').email).toBe(true);
	});
});

describe('retry back-off', () => {
	it('doubles from the base and stops at the cap', () => {
		expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, 5000))).toEqual([1000, 2000, 4000, 5000]);
		expect(backoffMs(30, 1000, 5000)).toBe(5000);
	});
});
