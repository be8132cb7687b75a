/**
 * The peer of the board bench: `@hocuspocus/server` with `@hocuspocus/extension-database`
 * persisting each document's whole Yjs state as one bytea row in the same Postgres, configured
 * as its documentation shows (default debounce: a store 2 s after the last change, at most
 * every 10 s). It checks the same JWT as Relais on connect; it has no per-update authorisation,
 * no projection and no update log: the document is its only record.
 */
import { Database } from '@hocuspocus/extension-database';
import { Server, type onChangePayload } from '@hocuspocus/server';
import type pg from 'pg';
import { verifyAccessToken } from '../src/lib/server/auth/tokens';
import { now } from './board-trace';

const TABLE = 'bench.hocuspocus_documents';

export interface PeerStore {
	/** Bytes and calls of every store since creation. */
	stored: { calls: number; bytes: number; lastAt: number };
	/** Writes a document's initial state (the same board Relais holds). */
	seed(name: string, state: Uint8Array): Promise<void>;
	persistedBytes(name: string): Promise<number>;
	drop(): Promise<void>;
}

export async function createPeerStore(pool: pg.Pool): Promise<PeerStore & { fetch: (name: string) => Promise<Uint8Array | null>; store: (name: string, state: Uint8Array) => Promise<void> }> {
	// A schema of its own, dropped at the end: the application's schema stays as migrations left it.
	await pool.query(`create schema if not exists bench`);
	await pool.query(`create table if not exists ${TABLE} (name text primary key, state bytea not null, updated_at timestamptz not null default now())`);
	const stored = { calls: 0, bytes: 0, lastAt: 0 };
	const store = async (name: string, state: Uint8Array) => {
		await pool.query(
			`insert into ${TABLE} (name, state) values ($1, $2) on conflict (name) do update set state = excluded.state, updated_at = now()`,
			[name, Buffer.from(state)]
		);
		stored.calls++;
		stored.bytes += state.byteLength;
		stored.lastAt = now();
	};
	return {
		stored,
		store,
		async fetch(name) {
			const { rows } = await pool.query<{ state: Buffer }>(`select state from ${TABLE} where name = $1`, [name]);
			return rows[0] ? new Uint8Array(rows[0].state) : null;
		},
		async seed(name, state) {
			await store(name, state);
			Object.assign(stored, { calls: 0, bytes: 0 });
		},
		async persistedBytes(name) {
			const { rows } = await pool.query<{ n: number }>(`select coalesce(sum(length(state)), 0)::int as n from ${TABLE} where name = $1`, [name]);
			return rows[0].n;
		},
		async drop() {
			await pool.query(`drop table if exists ${TABLE}`);
			await pool.query(`drop schema if exists bench`);
		}
	};
}

export interface Peer {
	port: number;
	server: Server;
	close(): Promise<void>;
}

/** A Hocuspocus server on a free port. */
export async function startPeer(store: Awaited<ReturnType<typeof createPeerStore>>, onChange: (payload: onChangePayload) => void = () => {}): Promise<Peer> {
	const server = new Server({
		port: 0,
		address: '127.0.0.1',
		quiet: true,
		stopOnSignals: false,
		async onAuthenticate({ token }) {
			if (!(await verifyAccessToken(token))) throw new Error('forbidden');
		},
		async onChange(payload) {
			onChange(payload);
		},
		extensions: [
			new Database({
				fetch: ({ documentName }) => store.fetch(documentName),
				store: ({ documentName, state }) => store.store(documentName, state)
			})
		]
	});
	await server.listen();
	return {
		port: server.address.port,
		server,
		close: () => server.destroy()
	};
}
