import { describe, expect, it } from 'vitest';
import { addDays, mayWithdraw, planClose, planNewVersion, type PriceVersion } from './price-versions';

const today = '2026-11-23';
const running: PriceVersion = { id: 'p1', validFrom: '2026-01-01', validTo: null };
const expired: PriceVersion = { id: 'p0', validFrom: '2025-01-01', validTo: '2025-12-31' };

describe('addDays', () => {
	it('crosses months, years and leap days', () => {
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
		expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
	});
});

describe('planNewVersion', () => {
	it('closes the running version the day before the new one starts, leaves expired ones alone', () => {
		expect(planNewVersion({ versions: [expired, running], validFrom: '2026-12-01', validTo: null, today })).toEqual({
			ok: true,
			close: [{ id: 'p1', validTo: '2026-11-30' }]
		});
	});

	it('starting today closes yesterday; a first price closes nothing', () => {
		expect(planNewVersion({ versions: [running], validFrom: today, validTo: null, today })).toEqual({
			ok: true,
			close: [{ id: 'p1', validTo: '2026-11-22' }]
		});
		expect(planNewVersion({ versions: [], validFrom: today, validTo: '2026-12-31', today })).toEqual({ ok: true, close: [] });
	});

	it('never rewrites the past nor jumps over a later version', () => {
		expect(planNewVersion({ versions: [running], validFrom: '2026-11-22', validTo: null, today })).toEqual({
			ok: false,
			error: 'starts_in_past'
		});
		const planned: PriceVersion = { id: 'p2', validFrom: '2027-01-01', validTo: null };
		expect(planNewVersion({ versions: [running, planned], validFrom: '2026-12-01', validTo: null, today })).toEqual({
			ok: false,
			error: 'later_version_exists',
			day: '2027-01-01'
		});
		expect(planNewVersion({ versions: [], validFrom: '2026-12-01', validTo: '2026-11-30', today })).toEqual({
			ok: false,
			error: 'ends_before_start'
		});
	});
});

describe('planClose and mayWithdraw', () => {
	it('closes from yesterday on, never earlier, never an expired version', () => {
		expect(planClose({ version: running, lastDay: '2026-11-22', today })).toEqual({ ok: true, close: [{ id: 'p1', validTo: '2026-11-22' }] });
		expect(planClose({ version: running, lastDay: '2026-11-01', today })).toEqual({ ok: false, error: 'closes_in_past' });
		expect(planClose({ version: expired, lastDay: '2026-12-31', today })).toEqual({ ok: false, error: 'already_closed' });
		const future: PriceVersion = { id: 'p3', validFrom: '2027-01-01', validTo: null };
		expect(planClose({ version: future, lastDay: '2026-12-31', today })).toEqual({ ok: false, error: 'ends_before_start' });
	});

	it('withdraws only a version that has never applied', () => {
		expect(mayWithdraw({ id: 'p3', validFrom: '2026-11-24', validTo: null }, today)).toBe(true);
		expect(mayWithdraw({ id: 'p4', validFrom: today, validTo: null }, today)).toBe(false);
	});
});
