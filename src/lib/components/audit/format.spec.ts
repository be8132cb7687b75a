import { describe, expect, it } from 'vitest';
import { changesOf, formatAuditValue, objectHref, parseTimestamp, relativeTime } from './format';

const words = { yes: 'oui', no: 'non', none: '—' };
/** Intl's French uses narrow no-break spaces; compare with plain ones. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

describe('changesOf', () => {
	it('lists the changed fields of an update, before and after', () => {
		expect(changesOf({ op: 'update', before: { status: 'todo', price_cents: 3900 }, after: { status: 'done', price_cents: 4500 } })).toEqual([
			{ key: 'price_cents', before: 3900, after: 4500 },
			{ key: 'status', before: 'todo', after: 'done' }
		]);
	});

	it('lists a created or deleted row without its bookkeeping columns', () => {
		const row = { id: 'x', organisation_id: 'o', created_at: 't', updated_at: 't', reference: 'CMD-1' };
		expect(changesOf({ op: 'insert', before: null, after: row })).toEqual([{ key: 'reference', before: null, after: 'CMD-1' }]);
		expect(changesOf({ op: 'delete', before: row, after: null })).toEqual([{ key: 'reference', before: 'CMD-1', after: null }]);
	});
});

describe('formatAuditValue', () => {
	it('reads the unit from the column name', () => {
		expect(plain(formatAuditValue('unit_price_cents', 123450, 'fr', words))).toBe('1 234,50 €');
		expect(formatAuditValue('unit_price_cents', 123450, 'en', words)).toBe('€1,234.50');
		expect(plain(formatAuditValue('vat_rate_bp', 2000, 'fr', words))).toBe('20 %');
		expect(formatAuditValue('vat_rate_bp', 550, 'en', words)).toBe('5.5%');
		expect(formatAuditValue('quantity', 12, 'fr', words)).toBe('12');
	});

	it('prints days, timestamps, booleans, empties and ids for a reader', () => {
		expect(formatAuditValue('planned_on', '2026-12-03', 'fr', words)).toBe('3 déc. 2026');
		expect(formatAuditValue('planned_on', '2026-12-03', 'en', words)).toBe('3 Dec 2026');
		expect(formatAuditValue('completed_at', '2026-12-03T10:22:33.12+00:00', 'en', words)).toMatch(/^3 Dec 2026, \d{2}:\d{2}$/);
		expect(formatAuditValue('active', false, 'fr', words)).toBe('non');
		expect(formatAuditValue('comment', null, 'fr', words)).toBe('—');
		expect(formatAuditValue('team_id', '3f2a9c1e-0000-4000-8000-000000000001', 'fr', words)).toBe('3f2a9c1e…');
		expect(formatAuditValue('notes', 'x'.repeat(500), 'fr', words)).toHaveLength(160);
		expect(formatAuditValue('texts', { title: 'Facture' }, 'fr', words)).toBe('{"title":"Facture"}');
	});
});

describe('times', () => {
	it('reads Postgres timestamptz text', () => {
		expect(parseTimestamp('2026-12-03 10:22:33.123456+00').toISOString()).toBe('2026-12-03T10:22:33.123Z');
		expect(parseTimestamp('2026-12-03 11:22:33+01').toISOString()).toBe('2026-12-03T10:22:33.000Z');
	});

	it('says how long ago, in words', () => {
		const now = new Date('2026-12-03T12:00:00Z');
		expect(relativeTime(new Date('2026-12-03T11:59:40Z'), now, 'en')).toBe('now');
		expect(relativeTime(new Date('2026-12-03T09:00:00Z'), now, 'fr')).toBe('il y a 3 heures');
		expect(relativeTime(new Date('2026-12-02T12:00:00Z'), now, 'en')).toBe('yesterday');
	});
});

describe('objectHref', () => {
	const id = '3f2a9c1e-0000-4000-8000-000000000001';
	it('links orders and invoices, and lines and tasks to what they belong to when the entry says', () => {
		expect(objectHref({ tableName: 'orders', rowId: id, before: null, after: null })).toBe(`/orders/${id}`);
		expect(objectHref({ tableName: 'invoices', rowId: id, before: null, after: null })).toBe(`/invoices/${id}`);
		expect(objectHref({ tableName: 'invoice_lines', rowId: 'l', before: { invoice_id: id }, after: null })).toBe(`/invoices/${id}`);
		expect(objectHref({ tableName: 'tasks', rowId: 't', before: { status: 'todo' }, after: { status: 'done' } })).toBeNull();
		expect(objectHref({ tableName: 'prices', rowId: id, before: null, after: null })).toBeNull();
	});
});
