import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { cardsOf, daysOf, placements, rankBetween, type Placement } from '../../../src/lib/board/model';
import { BoardSync } from '../../../src/lib/board/sync.svelte';
import { toWire } from '../../../src/lib/board/wire';
import { closePools, withUser } from '../../../src/lib/server/db/pool';
import { createWorld, type Persona, type World } from '../world';
import { openSocket, startNode, waitFor, type ClientSocket, type Node } from '../realtime/helpers';
import { planningFixture, projectedPlan, type Plan } from './fixtures';

/**
 * The planning board end to end against real Postgres: browsers' BoardSync documents on
 * sockets, the server's hub, the update log and the projection into `tasks`.
 */

const period = '2030-W05';
const days = daysOf(period);
let world: World;
let plan: Plan;
let node: Node;
const open: { socket: ClientSocket; board: BoardSync }[] = [];

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	plan = await planningFixture(world, 12);
	node = await startNode(world.pool);
});
afterAll(async () => {
	for (const { socket, board } of open) {
		board.destroy();
		socket.disconnect();
	}
	await node.close();
	await closePools();
});

async function boardOf(persona: Persona, target = node): Promise<BoardSync> {
	const socket = openSocket(target.port, { token: world.people[persona].token });
	const board = new BoardSync(socket, { siteId: world.sites.hub, period });
	open.push({ socket, board });
	await waitFor(`${persona}'s board to sync`, () => board.status === 'synced' || board.status === 'refused');
	return board;
}

const placement = (teamId: string, day: string, rank: string): Placement => ({ teamId, assigneeId: null, day, start: null, rank });

function sameCards(a: ReadonlyMap<string, Placement>, b: ReadonlyMap<string, Placement>): boolean {
	return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}

async function serverCards(): Promise<Map<string, Placement>> {
	return placements(await node.realtime.boards.snapshot(world.sites.hub, period));
}

/** The sequence number of the last update logged for the site's boards (compaction keeps it). */
async function lastLogged(): Promise<number> {
	const { rows } = await world.pool.query<{ n: number }>(`select coalesce(max(last_seq), 0)::int as n from public.board_documents where site_id = $1`, [
		world.sites.hub
	]);
	return rows[0].n;
}

describe('the planning board', () => {
	it('converges when two leads move the same card at once, and the tasks table equals the document', async () => {
		const lead = await boardOf('team_lead');
		const manager = await boardOf('site_manager');
		expect([lead.canEdit, manager.canEdit]).toEqual([true, true]);
		const [contested, second, third] = plan.tasks;

		// Both move the same card before either hears the other, and each moves another card.
		lead.move(contested, placement(plan.teams.wash, days[0], 'a0'));
		manager.move(contested, placement(plan.teams.prep, days[2], 'a1'));
		lead.move(second, placement(plan.teams.wash, days[0], 'a1'));
		manager.move(third, placement(plan.teams.prep, days[1], 'a0'));

		await waitFor('both screens to agree', () => lead.cards.size === 3 && sameCards(lead.cards, manager.cards));
		const agreed = lead.cards.get(contested)!;
		// One of the two moves won, whole: never the team of one with the day of the other.
		expect([JSON.stringify(placement(plan.teams.wash, days[0], 'a0')), JSON.stringify(placement(plan.teams.prep, days[2], 'a1'))]).toContain(
			JSON.stringify(agreed)
		);
		await waitFor('the server to hold the same plan', async () => sameCards(await serverCards(), lead.cards));
		await waitFor('the projection to equal the document', async () => sameCards(await projectedPlan(world, plan.tasks), lead.cards));
		const { rows } = await world.pool.query<{ status: string }>('select status::text from public.tasks where id = $1', [second]);
		expect(rows[0].status).toBe('planned');
	});

	it('keeps converging under a burst of concurrent moves from three planners', async () => {
		const boards = [await boardOf('team_lead'), await boardOf('site_manager'), await boardOf('admin')];
		let rank: string | null = null;
		for (let round = 0; round < 30; round++) {
			const board = boards[round % 3];
			const task = plan.tasks[(round * 7) % plan.tasks.length];
			rank = rankBetween(rank, null);
			if (round % 5 === 4) board.move(task, null);
			else board.move(task, placement(round % 2 ? plan.teams.wash : plan.teams.prep, days[round % 6], rank));
		}
		await waitFor('all three screens to agree', () => sameCards(boards[0].cards, boards[1].cards) && sameCards(boards[1].cards, boards[2].cards));
		await waitFor('the server to agree', async () => sameCards(await serverCards(), boards[0].cards));
		await waitFor('the projection to agree', async () => sameCards(await projectedPlan(world, plan.tasks), boards[0].cards));
		// Cards sent back to the backlog are to do again, without a team.
		const { rows } = await world.pool.query<{ n: number }>(
			`select count(*)::int as n from public.tasks where id = any ($1::uuid[]) and planned_on is null and (status <> 'todo' or team_id is not null)`,
			[plan.tasks]
		);
		expect(rows[0].n).toBe(0);
	});

	it('refuses an operator’s update without touching anyone’s document', async () => {
		const lead = await boardOf('team_lead');
		const before = new Map(lead.cards);
		const updatesBefore = await lastLogged();

		const operator = await boardOf('operator');
		expect(operator.status).toBe('synced');
		expect(operator.canEdit).toBe(false);
		// The UI does not let an operator move a card; a forged client sends the update anyway.
		const socket = open.at(-1)!.socket;
		const forged = new Y.Doc();
		cardsOf(forged).set(plan.tasks[5], placement(plan.teams.wash, days[3], 'zz'));
		const encoder = encoding.createEncoder();
		syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(forged));
		const refused = new Promise<string>((resolve) => socket.once('board_refused', (_key, reason) => resolve(reason)));
		socket.emit('board_sync', operator.key, toWire(encoding.toUint8Array(encoder)));
		expect(await refused).toBe('forbidden');

		await new Promise((r) => setTimeout(r, 300));
		expect(sameCards(lead.cards, before)).toBe(true);
		expect(sameCards(await serverCards(), before)).toBe(true);
		expect(await lastLogged()).toBe(updatesBefore);
		// The database refuses it too: the projection columns are guarded, whatever the policies allow operators.
		await expect(
			withUser(world.pool, world.people.operator.claims, (sql) => sql.query('update public.tasks set planned_on = $1 where id = $2', [days[3], plan.tasks[5]]))
		).rejects.toThrow(/only team leads, site managers and admins change the plan/);
		// While the operator's own work on the task (its status) stays theirs to record.
		await withUser(world.pool, world.people.operator.claims, (sql) => sql.query(`update public.tasks set comment = 'Clés à l''accueil' where id = $1`, [plan.tasks[5]]));
	});

	it('puts back a card placed with a team of another site, on every screen', async () => {
		const lead = await boardOf('team_lead');
		const manager = await boardOf('site_manager');
		const task = plan.tasks[6];
		lead.move(task, placement(plan.teams.wash, days[4], 'b0'));
		await waitFor('the valid move to land', async () => (await projectedPlan(world, [task])).get(task)?.teamId === plan.teams.wash);

		lead.move(task, placement(plan.teams.otherSite, days[4], 'b0'));
		await waitFor('the correction', () => lead.cards.get(task)?.teamId === plan.teams.wash && manager.cards.get(task)?.teamId === plan.teams.wash);
		expect((await projectedPlan(world, [task])).get(task)?.teamId).toBe(plan.teams.wash);
	});

	it('shows who is on the board and which card each holds', async () => {
		const lead = await boardOf('team_lead');
		const manager = await boardOf('site_manager');
		lead.hold(plan.tasks[0]);
		await waitFor('the manager to see the lead holding the card', () =>
			manager.presence.some((p) => p.userId === world.people.team_lead.id && p.holding === plan.tasks[0])
		);
		expect(manager.presence.some((p) => p.userId === world.people.site_manager.id)).toBe(true);
		lead.hold(null);
		await waitFor('the card to be let go', () => manager.presence.every((p) => p.holding === null));
	});

	it('closes a day: unfinished cards move to the next working day, with who and why in the audit trail', async () => {
		const lead = await boardOf('team_lead');
		const [a, b] = plan.tasks.slice(8, 10);
		lead.move(a, placement(plan.teams.wash, days[5], 'c0'));
		lead.move(b, placement(plan.teams.wash, days[5], 'c1'));
		await waitFor('the cards on Saturday', async () => [...(await projectedPlan(world, [a, b])).values()].filter((p) => p.day === days[5]).length === 2);
		await world.pool.query(`update public.tasks set status = 'done' where id = $1`, [b]);

		const { rows: left } = await world.pool.query<{ n: number }>(
			`select count(*)::int as n from public.tasks where site_id = $1 and planned_on = $2 and status in ('todo', 'planned', 'in_progress')`,
			[world.sites.hub, days[5]]
		);
		const response = await lead.closeDay({ day: days[5], mode: 'postpone', reason: 'Panne du portique de lavage' });
		expect(response).toEqual({ data: { moved: left[0].n } });
		// Saturday's next working day is Monday of the next week: that week's board has the card now.
		const nextMonday = daysOf('2030-W06')[0];
		expect((await projectedPlan(world, [a])).get(a)?.day).toBe(nextMonday);
		expect(placements(await node.realtime.boards.snapshot(world.sites.hub, '2030-W06')).get(a)?.day).toBe(nextMonday);
		await waitFor('this week’s board to let the card go', () => !lead.cards.has(a));
		expect(lead.cards.get(b)?.day).toBe(days[5]);
		const { rows } = await world.pool.query<{ actor_id: string; reason: string }>(
			`select actor_id, reason from public.audit_log where table_name = 'tasks' and row_id = $1 order by id desc limit 1`,
			[a]
		);
		expect(rows[0]).toEqual({ actor_id: world.people.team_lead.id, reason: 'Panne du portique de lavage' });

		const operator = await boardOf('operator');
		expect(await operator.closeDay({ day: days[5], mode: 'backlog', reason: 'Je ne devrais pas' })).toEqual({ error: 'forbidden' });
	});

	it('reloads the same plan from Postgres on another node', async () => {
		const lead = await boardOf('team_lead');
		const other = await startNode(world.pool);
		try {
			const fresh = await boardOf('director', other);
			expect(fresh.canEdit).toBe(false);
			expect(sameCards(fresh.cards, lead.cards)).toBe(true);
		} finally {
			await other.close();
		}
	});

	it('lets site staff read the board’s log, nobody outside the site, and only planners write it as themselves', async () => {
		await boardOf('team_lead');
		const { rows: docs } = await world.pool.query<{ id: string }>('select id from public.board_documents where site_id = $1 and period = $2', [
			world.sites.hub,
			period
		]);
		const documentId = docs[0].id;
		// An entry in the log whatever compaction left there (the server writes as the service role).
		await world.pool.query(`insert into public.board_updates (document_id, seq, site_id, payload) values ($1, 999998, $2, '\\x0000')`, [
			documentId,
			world.sites.hub
		]);
		const seen = (persona: Persona) =>
			withUser(world.pool, world.people[persona].claims, async (sql) => {
				const { rows } = await sql.query<{ docs: number; updates: number }>(
					`select (select count(*)::int from public.board_documents where id = $1) as docs,
					        (select count(*)::int from public.board_updates where document_id = $1) as updates`,
					[documentId]
				);
				return rows[0].docs > 0 && rows[0].updates > 0;
			});
		expect(await seen('operator')).toBe(true);
		expect(await seen('director')).toBe(true);
		for (const outsider of ['operator_other_site', 'client', 'driver', 'admin_other_org'] as const) expect(await seen(outsider), outsider).toBe(false);

		const write = (persona: Persona, author: string) =>
			withUser(world.pool, world.people[persona].claims, (sql) =>
				sql.query(`insert into public.board_updates (document_id, seq, site_id, payload, author_id) values ($1, 999999, $2, '\\x0000', $3)`, [
					documentId,
					world.sites.hub,
					author
				])
			);
		await expect(write('operator', world.people.operator.id)).rejects.toThrow(/row-level security/);
		await expect(write('team_lead', world.people.site_manager.id)).rejects.toThrow(/row-level security/);
		await expect(write('team_lead', world.people.team_lead.id)).resolves.toBeTruthy();

		// Compaction (fold the log into the snapshot) is the planners' too; tried, then rolled back.
		const compact = (persona: Persona) =>
			withUser(world.pool, world.people[persona].claims, async (sql) => {
				const folded = await sql.query('update public.board_documents set updated_at = now() where id = $1', [documentId]);
				const dropped = await sql.query('delete from public.board_updates where document_id = $1', [documentId]);
				throw Object.assign(new Error('rollback'), { outcome: [folded.rowCount, (dropped.rowCount ?? 0) > 0] });
			}).catch((err: { outcome: [number, boolean] }) => err.outcome);
		expect(await compact('operator')).toEqual([0, false]);
		expect(await compact('team_lead')).toEqual([1, true]);
		// Documents are created by the server alone.
		await expect(
			withUser(world.pool, world.people.team_lead.claims, (sql) =>
				sql.query(`insert into public.board_documents (site_id, period, snapshot) values ($1, '2031-W01', '\\x')`, [world.sites.hub])
			)
		).rejects.toThrow(/permission denied/);
		await world.pool.query('delete from public.board_updates where document_id = $1 and seq >= 999998', [documentId]);
	});

	it('folds its log into the snapshot once quiet, and a node shutting down writes the moves it relayed', async () => {
		const lead = await boardOf('team_lead');
		const task = plan.tasks[9];
		lead.move(task, placement(plan.teams.wash, days[3], rankBetween(null, null)));
		const logOf = async () => {
			const { rows } = await world.pool.query<{ folded: boolean; entries: number }>(
				`select d.snapshot_seq = d.last_seq as folded, (select count(*)::int from public.board_updates u where u.document_id = d.id) as entries
				   from public.board_documents d where d.site_id = $1 and d.period = $2`,
				[world.sites.hub, period]
			);
			return rows[0];
		};
		await waitFor('the move to be logged', async () => (await projectedPlan(world, [task])).get(task)?.day === days[3]);
		await waitFor('the log to be folded into the snapshot', async () => {
			const log = await logOf();
			return log.folded && log.entries === 0;
		});

		// Another node relays a move, then shuts down before its batch is due: the move is written.
		const other = await startNode(world.pool);
		const late = await boardOf('site_manager', other);
		late.move(task, placement(plan.teams.prep, days[4], rankBetween(null, null)));
		await waitFor('the other node to hold the move', async () => placements(await other.realtime.boards.snapshot(world.sites.hub, period)).get(task)?.day === days[4]);
		await other.close();
		expect((await projectedPlan(world, [task])).get(task)).toMatchObject({ teamId: plan.teams.prep, day: days[4] });
		// The first node hears of it through the change feed.
		await waitFor('the lead to see the late move', () => lead.cards.get(task)?.day === days[4]);
	});

	it('catches up with what another node folded into the snapshot while this node held the board', async () => {
		const lead = await boardOf('team_lead');
		const [theirs, ours] = [plan.tasks[10], plan.tasks[8]];
		const other = await startNode(world.pool);
		let written: Map<number, number>;
		try {
			const manager = await boardOf('site_manager', other);
			manager.move(theirs, placement(plan.teams.prep, days[1], rankBetween(null, null)));
			await waitFor('the other node to write the move', async () => (await projectedPlan(world, [theirs])).get(theirs)?.day === days[1]);
			written = Y.decodeStateVector(Y.encodeStateVector(await other.realtime.boards.snapshot(world.sites.hub, period)));
		} finally {
			// Shutting down folds the log into the snapshot: the move is no longer in the log.
			await other.close();
		}
		const { rows } = await world.pool.query<{ folded: boolean }>(
			'select snapshot_seq = last_seq as folded from public.board_documents where site_id = $1 and period = $2',
			[world.sites.hub, period]
		);
		expect(rows[0].folded).toBe(true);

		lead.move(ours, placement(plan.teams.wash, days[2], rankBetween(null, null)));
		await waitFor('this node to write its move', async () => (await projectedPlan(world, [ours])).get(ours)?.day === days[2]);
		// This node's copy holds every change the other node wrote, as written (not rebuilt from
		// the tasks table): otherwise its own next snapshot would leave them out.
		const held = Y.decodeStateVector(Y.encodeStateVector(await node.realtime.boards.snapshot(world.sites.hub, period)));
		for (const [client, clock] of written) expect(held.get(client) ?? 0, `client ${client}`).toBeGreaterThanOrEqual(clock);
		expect((await serverCards()).get(theirs)).toMatchObject({ teamId: plan.teams.prep, day: days[1] });
	});

	it('brings a plan written outside the board (SQL, an import) to the open screens', async () => {
		const lead = await boardOf('team_lead');
		const task = plan.tasks[11];
		await world.pool.query(`update public.tasks set planned_on = $2, team_id = $3, board_rank = 'zz' where id = $1`, [task, days[2], plan.teams.prep]);
		await waitFor('the card on the lead’s screen', () => lead.cards.get(task)?.day === days[2] && lead.cards.get(task)?.teamId === plan.teams.prep);
		await world.pool.query(`update public.tasks set planned_on = null where id = $1`, [task]);
		await waitFor('the card back in the backlog', () => !lead.cards.has(task));
	});
});

describe('the planning board on several nodes', () => {
	it('relays a move to the screens of its own node without waiting for the Postgres adapter to reach the other nodes', async () => {
		const [a, b] = [await startNode(world.pool, { adapter: { kind: 'postgres' } }), await startNode(world.pool, { adapter: { kind: 'postgres' } })];
		try {
			const lead = await boardOf('team_lead', a);
			const here = await boardOf('site_manager', a);
			const there = await boardOf('director', b);
			// Node A's adapter takes a second to publish, as behind a busy database.
			const adapter = a.realtime.io.of('/').adapter as unknown as { doPublish(message: unknown): Promise<unknown> };
			const publish = adapter.doPublish.bind(adapter);
			adapter.doPublish = async (message) => {
				await new Promise((resolve) => setTimeout(resolve, 1_000));
				return publish(message);
			};

			const task = plan.tasks[10];
			const day = days.find((d) => d !== here.cards.get(task)?.day)!;
			const started = Date.now();
			lead.move(task, placement(plan.teams.wash, day, rankBetween(null, null)));
			await waitFor('the move on the screen on the same node', () => here.cards.get(task)?.day === day);
			// Through the adapter it would take over a second; writing and resyncing, about half of one.
			expect(Date.now() - started).toBeLessThan(200);
			await waitFor('the move on the screen on the other node', () => there.cards.get(task)?.day === day);
		} finally {
			await a.close();
			await b.close();
		}
	});
});
