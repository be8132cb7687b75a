import { describe, expect, it } from 'vitest';
import { durationParts, responseClock } from './response-clock';

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 3, 9, 0) + minutes * 60_000).toISOString();
const now = Date.parse(at(90));

describe('responseClock', () => {
	it('runs from the assignment and turns late past the delay', () => {
		expect(responseClock({ stage: 'new', createdAt: at(0), assignedAt: at(40), firstResponseAt: null }, now, 60)).toEqual({ state: 'waiting', minutes: 50 });
		expect(responseClock({ stage: 'new', createdAt: at(0), assignedAt: at(0), firstResponseAt: null }, now, 60)).toEqual({ state: 'late', minutes: 90 });
	});
	it('runs from the arrival while the lead is unassigned', () => {
		expect(responseClock({ stage: 'new', createdAt: at(20), assignedAt: null, firstResponseAt: null }, now, 60)).toEqual({ state: 'late', minutes: 70 });
	});
	it('stops at the first answer', () => {
		expect(responseClock({ stage: 'contacted', createdAt: at(0), assignedAt: at(5), firstResponseAt: at(12) }, now, 60)).toEqual({ state: 'answered', minutes: 7 });
	});
	it('has no clock for a lead moved on without an answer', () => {
		expect(responseClock({ stage: 'lost', createdAt: at(0), assignedAt: at(0), firstResponseAt: null }, now, 60)).toEqual({ state: 'none' });
	});
});

describe('durationParts', () => {
	it('words minutes, hours and days', () => {
		expect(durationParts(45)).toEqual({ unit: 'min', n: 45 });
		expect(durationParts(185)).toEqual({ unit: 'h', h: 3, m: '05' });
		expect(durationParts(3 * 24 * 60 + 10)).toEqual({ unit: 'd', n: 3 });
	});
});
