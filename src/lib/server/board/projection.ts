// Relative imports only: bundled with the realtime server outside SvelteKit.
import * as Y from 'yjs';
import { cardsOf, daysOf, periodOf, placementSchema, type Period, type Placement } from '../../board/model';
import type { Sql } from '../db/pool';
import { samePlacement, tasksById, type TaskRow } from './store';

/** Cards a transaction changed, with the placement each had before (undefined: not on the board). */
export type TouchedCards = Map<string, Placement | undefined>;

/** Runs `change` on `doc` and reports which cards it touched, whatever the origin. */
export function trackCards(doc: Y.Doc, change: () => void): TouchedCards {
	const touched: TouchedCards = new Map();
	const observer = (event: Y.YMapEvent<Placement>) => {
		for (const [key, { oldValue }] of event.changes.keys) if (!touched.has(key)) touched.set(key, oldValue as Placement | undefined);
	};
	const cards = cardsOf(doc);
	cards.observe(observer);
	try {
		change();
	} finally {
		cards.unobserve(observer);
	}
	return touched;
}

/**
 * The updates `doc` emits while `change` runs (one per transaction). Synchronous on purpose: a
 * listener left on across an await would also encode every screen's move relayed meanwhile.
 */
export function updatesOf(doc: Y.Doc, change: () => void): Uint8Array[] {
	const updates: Uint8Array[] = [];
	const onUpdate = (update: Uint8Array) => updates.push(update);
	doc.on('update', onUpdate);
	try {
		change();
	} finally {
		doc.off('update', onUpdate);
	}
	return updates;
}

export interface Projection {
	/** Cards the document placed that were planned in another week: that board must drop them. */
	movedFrom: Map<Period, string[]>;
	/** Cards put back as they were because the change was not valid, and that correction as an update. */
	corrected: string[];
	correction: Uint8Array | null;
	/** Tasks whose row this projection updated. */
	written: string[];
}

export interface SiteFacts {
	teams: Set<string>;
	/** People who may carry a task at the site (staff other than drivers, directors, clients). */
	assignees: Set<string>;
}

async function siteFacts(sql: Sql, siteId: string): Promise<SiteFacts> {
	const { rows } = await sql.query<{ teams: string[]; assignees: string[] }>(
		`select array(select id from public.teams where site_id = $1) as teams,
		        array(select m.user_id from public.memberships m where m.site_id = $1 and m.role in ('operator', 'team_lead', 'site_manager')) as assignees`,
		[siteId]
	);
	return { teams: new Set(rows[0].teams), assignees: new Set(rows[0].assignees) };
}

/** The task row as the projection just wrote it: placed as `p`, or back in the backlog (null). */
function rowPlaced(row: TaskRow, p: Placement | null): TaskRow {
	if (!p) return { ...row, team_id: null, assignee_id: null, planned_on: null, planned_start_minutes: null, board_rank: null, status: row.status === 'planned' ? 'todo' : row.status };
	return { ...row, team_id: p.teamId, assignee_id: p.assigneeId, planned_on: p.day, planned_start_minutes: p.start, board_rank: p.rank, status: row.status === 'todo' ? 'planned' : row.status };
}

/**
 * Writes the touched cards of a site's week into `tasks`: team, assignee, day, start and rank,
 * and the status between 'todo' and 'planned'. A card that names a task, team or person the
 * site does not have, or a day outside the week, is put back as it was in the document (the
 * correction travels like any update), so the document and the table never disagree.
 */
export async function project(
	sql: Sql,
	siteId: string,
	period: Period,
	doc: Y.Doc,
	touched: TouchedCards,
	origin: unknown,
	/**
	 * Shared by the projections of one transaction: the site's teams and people, read once, and
	 * the task rows of every card the transaction touches, when read up front (kept current here).
	 */
	cache: { facts?: Promise<SiteFacts>; rows?: Map<string, TaskRow> } = {}
): Promise<Projection> {
	const result: Projection = { movedFrom: new Map(), corrected: [], correction: null, written: [] };
	if (!touched.size) return result;
	const days = new Set(daysOf(period));
	const cards = cardsOf(doc);
	const rows = cache.rows ?? (await tasksById(sql, siteId, [...touched.keys()]));
	const facts = [...touched.keys()].some((id) => cards.has(id)) ? await (cache.facts ??= siteFacts(sql, siteId)) : null;

	const valid = (p: Placement | undefined, id: string): boolean => {
		if (p === undefined) return true;
		const parsed = placementSchema.safeParse(p);
		if (!parsed.success || !rows.has(id) || !days.has(p.day)) return false;
		return (p.teamId === null || facts!.teams.has(p.teamId)) && (p.assigneeId === null || facts!.assignees.has(p.assigneeId));
	};

	const corrections: [string, Placement | undefined][] = [];
	for (const [id, before] of touched) {
		const now = cards.get(id);
		if (!valid(now, id)) {
			corrections.push([id, before !== undefined && valid(before, id) ? before : undefined]);
			continue;
		}
		const row = rows.get(id);
		if (!row) continue;
		if (now) {
			const current = row.planned_on
				? { teamId: row.team_id, assigneeId: row.assignee_id, day: row.planned_on, start: row.planned_start_minutes, rank: row.board_rank ?? '' }
				: null;
			if (current && samePlacement(current, now)) continue;
			if (row.planned_on && !days.has(row.planned_on)) {
				const other = periodOf(row.planned_on);
				result.movedFrom.set(other, [...(result.movedFrom.get(other) ?? []), id]);
			}
			await sql.query(
				`update public.tasks
				    set team_id = $2, assignee_id = $3, planned_on = $4, planned_start_minutes = $5, board_rank = $6,
				        status = case when status = 'todo' then 'planned'::public.task_status else status end, updated_at = now()
				  where id = $1`,
				[id, now.teamId, now.assigneeId, now.day, now.start, now.rank]
			);
			rows.set(id, rowPlaced(row, now));
			result.written.push(id);
		} else if (row.planned_on && days.has(row.planned_on)) {
			// Back to the backlog: nobody is on it any more, so it has no team and is to do again.
			await sql.query(
				`update public.tasks
				    set team_id = null, assignee_id = null, planned_on = null, planned_start_minutes = null, board_rank = null,
				        status = case when status = 'planned' then 'todo'::public.task_status else status end, updated_at = now()
				  where id = $1`,
				[id]
			);
			rows.set(id, rowPlaced(row, null));
			result.written.push(id);
		}
	}
	if (corrections.length) {
		const [update] = updatesOf(doc, () =>
			doc.transact(() => {
				for (const [id, placement] of corrections) {
					if (placement) cards.set(id, placement);
					else cards.delete(id);
				}
			}, origin)
		);
		result.correction = update ?? null;
		result.corrected = corrections.map(([id]) => id);
	}
	return result;
}
