import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Change, ThreadTyping } from '../../../src/lib/realtime/events';
import { withUser } from '../../../src/lib/server/db/pool';
import { diskStorage, type Storage } from '../../../src/lib/server/storage';
import { GET as download } from '../../../src/routes/files/attachments/[id]/+server';
import { recipientsOf } from '../../../src/lib/server/threads/notify';
import {
	listThreads,
	markRead,
	openThread,
	postMessage,
	readableAttachment,
	ThreadError,
	threadDetail,
	updateThread,
	type Actor
} from '../../../src/lib/server/threads/service';
import { connect, startNode, waitFor, type Client, type Node } from '../realtime/helpers';
import { createWorld, testVin, type Persona, type World } from '../world';

/**
 * Ticket threads against real Postgres and a real realtime node: internal notes never reach a
 * client (socket, list, detail, attachment), another account sees nothing, a client's reply
 * reopens a resolved thread, typing of an internal note stays with staff.
 */
// The download route reads through the configured storage: point it at a throw-away directory
// before anything reads the environment.
const dataDir = mkdtempSync(join(tmpdir(), 'relais-threads-'));
process.env.DATA_DIR = dataDir;

let world: World;
let node: Node;
let store: Storage;
let taskId: string;
let betaTaskId: string;
let threadId: string;
const sockets: Client[] = [];

const as = <T>(persona: Persona, fn: Parameters<typeof withUser<T>>[2]) => withUser(world.pool, world.people[persona].claims, fn);
const actor = (persona: Persona): Actor => ({ id: world.people[persona].id, staff: !persona.startsWith('client') });
const photo = (name = 'rayure.jpg') => ({ name, type: 'image/jpeg' as const, size: 4, bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]) });

async function socketOf(persona: Persona): Promise<Client> {
	const client = await connect(node.port, world.people[persona].token);
	sockets.push(client);
	return client;
}
const joinThread = (c: Client, id: string) => c.socket.emitWithAck('join_thread', { threadId: id });
const typingOf = (c: Client) => {
	const seen: ThreadTyping[] = [];
	c.socket.on('thread_typing', (t) => seen.push(t));
	return seen;
};
const received = (c: Client, table: string, rowId: string) => c.changes.some((ch: Change) => ch.table === table && ch.rowId === rowId);
const settle = () => new Promise((r) => setTimeout(r, 400));

async function task(account: string): Promise<string> {
	const q = (text: string, values: unknown[]) => world.pool.query(text, values).then((r) => r.rows[0]?.id as string);
	const { hub } = world.sites;
	const service = await q(
		`insert into public.services (site_id, code, name_fr, name_en, zone_kind, default_minutes) values ($1, $2, 'Lavage', 'Wash', 'wash', 20) returning id`,
		[hub, `W_${randomUUID().slice(0, 8).toUpperCase()}`]
	);
	const vehicle = await q(
		`insert into public.vehicles (organisation_id, site_id, client_account_id, vin, plate, make, model, energy)
		 values ($1, $2, $3, $4, 'AB-123-CD', 'Renault', 'Clio', 'petrol') returning id`,
		[world.orgId, hub, account, testVin()]
	);
	const order = await q(`insert into public.orders (site_id, client_account_id, reference, deadline) values ($1, $2, $3, '2030-01-31') returning id`, [
		hub,
		account,
		`T-${randomUUID().slice(0, 6)}`
	]);
	return q(
		`insert into public.tasks (site_id, client_account_id, order_id, vehicle_id, service_id, estimated_minutes, price_cents) values ($1, $2, $3, $4, $5, 20, 1500) returning id`,
		[hub, account, order, vehicle, service]
	);
}

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	store = diskStorage(join(dataDir, 'files'));
	taskId = await task(world.clients.acme);
	betaTaskId = await task(world.clients.beta);
	node = await startNode(world.pool);
	const opened = await as('client', (sql) =>
		openThread(sql, actor('client'), { subjectType: 'task', subjectId: taskId, title: 'Rayure', body: 'Une rayure sur la portière ?' }, 'fr', store)
	);
	threadId = opened.threadId;
});

afterAll(async () => {
	for (const c of sockets) c.socket.disconnect();
	await node?.close();
});

describe('opening a thread', () => {
	it('takes its site and account from the task, read as the person', async () => {
		const { rows } = await world.pool.query(`select site_id, client_account_id, status, awaiting_since from public.ticket_threads where id = $1`, [threadId]);
		expect(rows[0]).toMatchObject({ site_id: world.sites.hub, client_account_id: world.clients.acme, status: 'open' });
		expect(rows[0].awaiting_since).not.toBeNull();
	});

	it("refuses another account's task as if it did not exist", async () => {
		const attempt = as('client_other_account', (sql) =>
			openThread(sql, actor('client_other_account'), { subjectType: 'task', subjectId: taskId, title: 'x', body: 'y' }, 'fr', store)
		);
		await expect(attempt).rejects.toMatchObject({ status: 404 });
	});

	it('answers bad input with field errors in the reader language', async () => {
		const attempt = as('client', (sql) => openThread(sql, actor('client'), { subjectType: 'task', subjectId: taskId, title: '', body: '' }, 'en', store));
		const err = (await attempt.catch((e) => e)) as ThreadError;
		expect(err).toBeInstanceOf(ThreadError);
		expect(err.status).toBe(400);
		expect(Object.keys(err.errors).sort()).toEqual(['body', 'title']);
	});

	it('refuses a file type outside the list and a file over the size limit', async () => {
		const exe = { name: 'virus.exe', type: 'application/x-msdownload', size: 4, bytes: new Uint8Array(4) };
		const huge = { ...photo(), size: 11 * 1024 * 1024 };
		for (const file of [exe, huge]) {
			const attempt = as('client', (sql) =>
				postMessage(sql, actor('client'), { threadId, body: 'pièce jointe', files: [file as ReturnType<typeof photo>] }, 'fr', store)
			);
			await expect(attempt).rejects.toMatchObject({ status: 400 });
		}
	});
});

describe('internal notes never reach a client', () => {
	let note: string;
	let noteFile: string;
	let reply: string;
	let clientSocket: Client;
	let csmSocket: Client;
	let managerSocket: Client;

	beforeAll(async () => {
		clientSocket = await socketOf('client');
		csmSocket = await socketOf('csm');
		managerSocket = await socketOf('site_manager');
		for (const c of [clientSocket, csmSocket, managerSocket]) expect(await joinThread(c, threadId)).toEqual({ data: null });

		const posted = await as('csm', (sql) =>
			postMessage(sql, actor('csm'), { threadId, body: 'Client difficile, voir avec le chef', internal: true, files: [photo('interne.jpg')] }, 'fr', store)
		);
		note = posted.messageId;
		noteFile = (await world.pool.query(`select id from public.ticket_attachments where message_id = $1`, [note])).rows[0].id;
		reply = (await as('csm', (sql) => postMessage(sql, actor('csm'), { threadId, body: 'Nous regardons cela.', files: [photo()] }, 'fr', store))).messageId;
		await waitFor('the public reply on the client socket', () => received(clientSocket, 'ticket_messages', reply));
		await waitFor('the note on staff sockets', () => received(csmSocket, 'ticket_messages', note) && received(managerSocket, 'ticket_messages', note));
		await settle();
	});

	it('a client socket in the thread room gets the public reply but not the note nor its file', () => {
		expect(received(clientSocket, 'ticket_messages', note)).toBe(false);
		expect(received(clientSocket, 'ticket_attachments', noteFile)).toBe(false);
		expect(clientSocket.changes.filter((c) => c.rowId === note || c.rowId === noteFile)).toEqual([]);
	});

	it('detail and list as the client show no note; staff see it', async () => {
		const clientView = await as('client', (sql) => threadDetail(sql, threadId, 'fr'));
		expect(clientView!.messages.map((m) => m.id)).toContain(reply);
		expect(clientView!.messages.some((m) => m.internal || m.id === note)).toBe(false);
		expect(JSON.stringify(clientView)).not.toContain('Client difficile');
		expect(JSON.stringify(clientView)).not.toContain('interne.jpg');
		expect(clientView!.staff).toEqual([]);

		const staffView = await as('csm', (sql) => threadDetail(sql, threadId, 'fr'));
		expect(staffView!.messages.find((m) => m.id === note)).toMatchObject({ internal: true, byStaff: true });

		// Unread counts only what the client may read: the reply, not the note.
		const [listed] = await as('client', (sql) => listThreads(sql, { status: 'all' }, 'fr'));
		expect(listed).toMatchObject({ id: threadId, unread: 1 });
	});

	it("an internal note's attachment cannot be read by the client, a public one can", async () => {
		expect(await as('client', (sql) => readableAttachment(sql, noteFile))).toBeNull();
		expect(await as('csm', (sql) => readableAttachment(sql, noteFile))).toMatchObject({ fileName: 'interne.jpg' });
		const publicFile = (await world.pool.query(`select id from public.ticket_attachments where message_id = $1`, [reply])).rows[0].id;
		const readable = await as('client', (sql) => readableAttachment(sql, publicFile));
		expect(await store.get(readable!.key)).toEqual(photo().bytes);
	});

	it('the download route streams a file only to whoever may read its row', async () => {
		const get = async (persona: Persona, id: string) => {
			const locals = { user: { id: world.people[persona].id }, db: <T>(fn: Parameters<typeof withUser<T>>[2]) => as(persona, fn) };
			try {
				return (await download({ locals, params: { id } } as unknown as Parameters<typeof download>[0])).status;
			} catch (err) {
				return (err as { status: number }).status;
			}
		};
		expect(await get('csm', noteFile)).toBe(200);
		expect(await get('client', noteFile)).toBe(404);
		expect(await get('client_other_account', noteFile)).toBe(404);
		const publicFile = (await world.pool.query(`select id from public.ticket_attachments where message_id = $1`, [reply])).rows[0].id;
		expect(await get('client', publicFile)).toBe(200);
		expect(await get('client_other_account', publicFile)).toBe(404);
	});

	it('a client cannot write an internal note, even past the service', async () => {
		await expect(as('client', (sql) => postMessage(sql, actor('client'), { threadId, body: 'x', internal: true }, 'fr', store))).rejects.toMatchObject({
			status: 403
		});
		// Claiming to be staff changes nothing: row-level security refuses the row.
		await expect(
			as('client', (sql) => postMessage(sql, { id: world.people.client.id, staff: true }, { threadId, body: 'x', internal: true }, 'fr', store))
		).rejects.toMatchObject({ status: 403 });
	});

	it('nobody notifies a client of an internal note', async () => {
		const posted = { threadId, messageId: note, siteId: world.sites.hub, clientAccountId: world.clients.acme, title: 'Rayure', internal: true, byStaff: true, assigneeId: null, body: 'secret' };
		const mentioned = await recipientsOf(world.pool, { ...posted, mentions: [world.people.site_manager.id] }, world.people.csm.id);
		expect(mentioned).toEqual({ clients: [], staff: [], mentioned: [world.people.site_manager.id] });
		const replied = await recipientsOf(world.pool, { ...posted, internal: false, mentions: [] }, world.people.csm.id);
		expect(replied).toEqual({ clients: [world.people.client.id], staff: [], mentioned: [] });
	});

	it('typing an internal note is shown to staff sockets only; public typing to everyone', async () => {
		const atClient = typingOf(clientSocket);
		const atManager = typingOf(managerSocket);
		expect(await csmSocket.socket.emitWithAck('thread_typing', { threadId, internal: true })).toEqual({ data: null });
		await waitFor('internal typing at the manager', () => atManager.length === 1);
		await settle();
		expect(atClient).toEqual([]);
		expect(atManager[0]).toMatchObject({ userId: world.people.csm.id, internal: true, byStaff: true });

		await csmSocket.socket.emitWithAck('thread_typing', { threadId, internal: false });
		await waitFor('public typing at the client', () => atClient.length === 1);
		expect(await clientSocket.socket.emitWithAck('thread_typing', { threadId, internal: true })).toEqual({ error: 'forbidden' });
	});

	it("read receipts reach the thread room: the client sees the CSM's reading", async () => {
		await as('client', (sql) => postMessage(sql, actor('client'), { threadId, body: 'Merci !' }, 'fr', store));
		await as('csm', (sql) => markRead(sql, threadId));
		const receipt = (await world.pool.query(`select id from public.thread_reads where thread_id = $1 and user_id = $2`, [threadId, world.people.csm.id]))
			.rows[0].id;
		await waitFor('the receipt on the client socket', () => received(clientSocket, 'thread_reads', receipt));
		const view = await as('client', (sql) => threadDetail(sql, threadId, 'fr'));
		expect(view!.readers.find((r) => r.userId === world.people.csm.id)).toMatchObject({ byStaff: true });
	});
});

describe('another client account sees nothing', () => {
	it('no list, no detail, no room, no reply, no file', async () => {
		expect(await as('client_other_account', (sql) => listThreads(sql, { status: 'all' }, 'fr'))).toEqual([]);
		expect(await as('client_other_account', (sql) => threadDetail(sql, threadId, 'fr'))).toBeNull();
		const beta = await socketOf('client_other_account');
		expect(await joinThread(beta, threadId)).toEqual({ error: 'forbidden' });
		await expect(
			as('client_other_account', (sql) => postMessage(sql, actor('client_other_account'), { threadId, body: 'Bonjour' }, 'fr', store))
		).rejects.toMatchObject({ status: 404 });
		const files = (await world.pool.query(`select id from public.ticket_attachments where thread_id = $1`, [threadId])).rows;
		expect(files.length).toBeGreaterThan(0);
		for (const f of files) expect(await as('client_other_account', (sql) => readableAttachment(sql, f.id))).toBeNull();
		// A thread of its own is allowed and stays its own.
		await as('client_other_account', (sql) =>
			openThread(sql, actor('client_other_account'), { subjectType: 'task', subjectId: betaTaskId, title: 'Question', body: 'Quand ?' }, 'fr', store)
		);
		expect((await as('client', (sql) => listThreads(sql, { status: 'all' }, 'fr'))).map((t) => t.id)).toEqual([threadId]);
	});
});

describe('status', () => {
	it("a client's reply reopens a resolved thread; a staff reply clears the wait", async () => {
		await as('csm', (sql) => updateThread(sql, { threadId, status: 'resolved', assigneeId: world.people.csm.id }, 'fr'));
		await as('csm', (sql) => postMessage(sql, actor('csm'), { threadId, body: 'Réglé.' }, 'fr', store));
		const state = async () =>
			(await world.pool.query(`select status, assignee_id, awaiting_since from public.ticket_threads where id = $1`, [threadId])).rows[0];
		expect(await state()).toMatchObject({ status: 'resolved', assignee_id: world.people.csm.id, awaiting_since: null });

		await as('client', (sql) => postMessage(sql, actor('client'), { threadId, body: 'Pas tout à fait…' }, 'fr', store));
		const reopened = await state();
		expect(reopened.status).toBe('open');
		expect(reopened.awaiting_since).not.toBeNull();
		// An internal note is not an answer: the client still waits.
		await as('csm', (sql) => postMessage(sql, actor('csm'), { threadId, body: 'À voir', internal: true }, 'fr', store));
		expect((await state()).awaiting_since).toEqual(reopened.awaiting_since);
	});

	it("a status change reaches the client's screen; a message's bump of its thread is carried by the message alone", async () => {
		const watcher = await socketOf('client');
		await joinThread(watcher, threadId);
		await as('csm', (sql) => updateThread(sql, { threadId, status: 'pending' }, 'fr'));
		await waitFor('the status change', () => received(watcher, 'ticket_threads', threadId));
		const before = watcher.changes.length;
		const posted = await as('client', (sql) => postMessage(sql, actor('client'), { threadId, body: 'Et maintenant ?' }, 'fr', store));
		await waitFor('the message', () => received(watcher, 'ticket_messages', posted.messageId));
		await settle();
		expect(watcher.changes.slice(before).filter((c) => c.table === 'ticket_threads')).toEqual([]);
		expect((await world.pool.query(`select status from public.ticket_threads where id = $1`, [threadId])).rows[0].status).toBe('open');
	});

	it('clients cannot change status; staff may only assign staff of the site', async () => {
		await expect(as('client', (sql) => updateThread(sql, { threadId, status: 'resolved' }, 'fr'))).rejects.toMatchObject({ status: 404 });
		await expect(as('csm', (sql) => updateThread(sql, { threadId, assigneeId: world.people.client.id }, 'fr'))).rejects.toMatchObject({ status: 400 });
	});

	it('overdue threads come first once the wait passes the organisation target', async () => {
		await world.pool.query(`update public.ticket_threads set awaiting_since = now() - interval '5 hours' where id = $1`, [threadId]);
		const [first] = await as('csm', (sql) => listThreads(sql, { overdue: true }, 'fr'));
		expect(first).toMatchObject({ id: threadId, overdue: true });
		await world.pool.query(`update public.organisations set response_target_minutes = 600 where id = $1`, [world.orgId]);
		expect(await as('csm', (sql) => listThreads(sql, { overdue: true }, 'fr'))).toEqual([]);
	});
});
