import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closePools } from '../../../src/lib/server/db/pool';
import { env } from '../../../src/lib/server/env';
import { createWorld, type World } from '../world';
import { connect, openSocket, refusal, startNode, waitFor, type Node } from './helpers';

let world: World;
let node: Node;

beforeAll(async () => {
	world = await createWorld(inject('databaseUrl'));
	node = await startNode(world.pool, { tokenCheckMs: 200 });
});
afterAll(async () => {
	await node.close();
	await closePools();
});

describe('handshake', () => {
	it('refuses a socket without a session', async () => {
		expect(await refusal(openSocket(node.port))).toBe('unauthorised');
	});

	it('refuses a tampered token', async () => {
		// Someone else's id in a real token's payload: the signature no longer matches.
		const [header, payload, signature] = world.people.operator.token.split('.');
		const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: world.people.director.id };
		const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
		expect(await refusal(openSocket(node.port, { token: forged }))).toBe('unauthorised');
	});

	it('refuses an Origin that is neither allowed nor the server itself', async () => {
		const socket = openSocket(node.port, { token: world.people.operator.token, origin: 'https://evil.example' });
		expect(await refusal(socket)).toBe('origin_not_allowed');
	});

	it("accepts the server's own origin and the session cookie, as a browser sends them", async () => {
		const socket = openSocket(node.port, {
			origin: `http://127.0.0.1:${node.port}`,
			cookie: `other=1; relais_session=${encodeURIComponent(world.people.operator.token)}`
		});
		const rooms = await new Promise((resolve) => socket.once('rooms', resolve));
		expect(rooms).toEqual({ sites: [world.sites.hub], clientAccounts: [], threads: [] });
		socket.close();
	});

	it('disconnects a socket once its token expires', async () => {
		const { id, email } = world.people.operator;
		const exp = Math.floor(Date.now() / 1000) + 2;
		const token = await new SignJWT({ email, role: 'authenticated', aud: 'authenticated' })
			.setProtectedHeader({ alg: 'HS256' })
			.setSubject(id)
			.setExpirationTime(exp)
			.sign(new TextEncoder().encode(env().JWT_SECRET));
		const { socket } = await connect(node.port, token);
		const reason = await new Promise((resolve) => socket.once('disconnect', resolve));
		expect(reason).toBe('io server disconnect');
		expect(Date.now() / 1000).toBeGreaterThanOrEqual(exp);
	});
});

describe('messages', () => {
	it('answers a malformed message with an error and keeps the socket', async () => {
		const { socket } = await connect(node.port, world.people.operator.token);
		const bad = await socket.emitWithAck('catch_up', { since: 'abc' } as never);
		expect(bad).toEqual({ error: 'invalid_payload', errorDetails: [{ path: 'since', message: expect.any(String) }] });
		expect(await socket.emitWithAck('catch_up', null as never)).toMatchObject({ error: 'invalid_payload' });
		expect(await socket.emitWithAck('join_thread', { threadId: 'not-a-uuid' })).toMatchObject({ error: 'invalid_payload' });
		expect(socket.connected).toBe(true);
		expect(await socket.emitWithAck('catch_up', { since: null })).toEqual({ data: { replayed: 0 } });
		socket.close();
	});

	it('lets people follow only the threads they may read', async () => {
		const thread = randomUUID();
		await world.pool.query(
			`insert into public.ticket_threads (id, site_id, client_account_id, subject_type, subject_id, title)
			 values ($1, $2, $3, 'order', $4, 'Late delivery')`,
			[thread, world.sites.hub, world.clients.acme, randomUUID()]
		);
		const client = await connect(node.port, world.people.client.token);
		const other = await connect(node.port, world.people.client_other_account.token);
		expect(await client.socket.emitWithAck('join_thread', { threadId: thread })).toEqual({ data: null });
		expect(await other.socket.emitWithAck('join_thread', { threadId: thread })).toEqual({ error: 'forbidden' });
		expect(await other.socket.emitWithAck('join_thread', { threadId: randomUUID() })).toEqual({ error: 'forbidden' });
		expect(await client.socket.emitWithAck('leave_thread', { threadId: thread })).toEqual({ data: null });
		client.socket.close();
		other.socket.close();
	});

	it('rate-limits a burst with error replies, and drops a flood', async () => {
		const { socket } = await connect(node.port, world.people.operator.token);
		const burst = await Promise.all(Array.from({ length: 30 }, () => socket.emitWithAck('leave_thread', { threadId: randomUUID() })));
		expect(burst.filter((r) => 'data' in r)).toHaveLength(20);
		expect(burst.filter((r) => 'error' in r && r.error === 'rate_limited')).toHaveLength(10);
		expect(socket.connected).toBe(true);
		socket.close();

		const flooding = await connect(node.port, world.people.operator.token);
		for (let i = 0; i < 200; i++) flooding.socket.emit('leave_thread', { threadId: randomUUID() }, () => {});
		await waitFor('the flood to be cut off', () => flooding.socket.disconnected);
	});
});
