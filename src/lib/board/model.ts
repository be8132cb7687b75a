// Relative imports only: the realtime server bundles this file outside SvelteKit.
import * as Y from 'yjs';
import { z } from 'zod';
import { generateKeyBetween } from 'fractional-indexing';
import { addDays, isoWeekday } from '../domain/planning/calendar';
import type { IsoDate } from '../domain/planning/task';

/**
 * The planning board's shared document, the same on the server and in every browser.
 *
 * One Yjs document per site and ISO week holds the placement of every card planned that week,
 * in one map from task id to placement. A placement is a plain value, replaced whole: two
 * leads moving the same card at once converge on one of their moves (Yjs picks the same one
 * everywhere), never on the team of one and the day of the other. A task absent from the map
 * is not planned this week: it is in the backlog (or planned another week). The cards'
 * content (plate, service, client) is not in the document: pages read it under RLS.
 */

// z.guid(), not z.uuid(): the demo data's ids are md5-derived, not RFC 4122 versioned.
export const placementSchema = z.strictObject({
	teamId: z.guid().nullable(),
	assigneeId: z.guid().nullable(),
	day: z.iso.date(),
	/** Start in minutes after midnight, set in the day view; null: some time that day. */
	start: z.number().int().min(0).max(1439).nullable(),
	/** Order within the lane and day (fractional index: compare as strings). */
	rank: z.string().min(1).max(64)
});
export type Placement = z.infer<typeof placementSchema>;

const CARDS = 'cards';

export function cardsOf(doc: Y.Doc): Y.Map<Placement> {
	return doc.getMap<Placement>(CARDS);
}

/** Every placement of the document, read as plain values. */
export function placements(doc: Y.Doc): Map<string, Placement> {
	return new Map(cardsOf(doc).entries());
}

// ─── periods ─────────────────────────────────────────────────────────────────────────────────

/** An ISO week, as the document is keyed: '2026-W48'. */
export type Period = string;
export const periodSchema = z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/);

/** The ISO week a day belongs to (its Thursday decides the year). */
export function periodOf(day: IsoDate): Period {
	const thursday = addDays({ date: day, count: 4 - isoWeekday(day) });
	const year = Number(thursday.slice(0, 4));
	const firstThursday = addDays({ date: `${year}-01-04`, count: 4 - isoWeekday(`${year}-01-04`) });
	const week = 1 + Math.round((Date.parse(thursday) - Date.parse(firstThursday)) / (7 * 86_400_000));
	return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday to Sunday of an ISO week. */
export function daysOf(period: Period): IsoDate[] {
	const [year, week] = period.split('-W').map(Number);
	const jan4 = `${year}-01-04`;
	const monday = addDays({ date: jan4, count: 1 - isoWeekday(jan4) + (week - 1) * 7 });
	return Array.from({ length: 7 }, (_, i) => addDays({ date: monday, count: i }));
}

export function shiftPeriod(period: Period, weeks: number): Period {
	return periodOf(addDays({ date: daysOf(period)[0], count: weeks * 7 }));
}

// ─── ordering within a lane ──────────────────────────────────────────────────────────────────

/** A rank between two neighbours (null: the lane's start or end). */
export function rankBetween(before: string | null, after: string | null): string {
	// Two leads may drop cards between the same neighbours: equal ranks sort by task id then.
	if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null);
	return generateKeyBetween(before, after);
}

/** Cards in lane order: by rank, then task id so equal ranks sort the same everywhere. */
export function byRank<T extends { id: string; rank: string }>(a: T, b: T): number {
	return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Ranks for `count` cards appended after `last`, in order. */
export function ranksAfter(last: string | null, count: number): string[] {
	const ranks: string[] = [];
	let previous = last;
	for (let i = 0; i < count; i++) {
		previous = generateKeyBetween(previous, null);
		ranks.push(previous);
	}
	return ranks;
}

// ─── the socket contract of the board ────────────────────────────────────────────────────────

export const boardRef = z.strictObject({ siteId: z.guid(), period: periodSchema });
export type BoardRef = z.infer<typeof boardRef>;

export const holdRequest = z.strictObject({ siteId: z.guid(), period: periodSchema, taskId: z.guid().nullable() });
export type HoldRequest = z.infer<typeof holdRequest>;

export const rollOverRequest = z.strictObject({
	siteId: z.guid(),
	day: z.iso.date(),
	mode: z.enum(['postpone', 'backlog']),
	reason: z.string().trim().min(3).max(500)
});
export type RollOverRequest = z.infer<typeof rollOverRequest>;

/** Largest Yjs message accepted from a browser: a whole week's plan accepted in one go fits. */
export const MAX_SYNC_BYTES = 512 * 1024;

export const boardKey = ({ siteId, period }: BoardRef) => `${siteId}:${period}`;

/** Who is on a board and which card they hold (are dragging), as the server vouches for it. */
export interface PresenceEntry {
	/** One per open screen: a person may have the board open twice. */
	connectionId: string;
	userId: string;
	name: string;
	canEdit: boolean;
	holding: string | null;
}

export interface JoinedBoard {
	canEdit: boolean;
}

export type BoardRefusal = 'forbidden' | 'invalid_update' | 'unavailable';
