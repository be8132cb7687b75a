import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import pg from 'pg';
import { createClient } from 'redis';
import { Adapter, type BroadcastOptions } from 'socket.io-adapter';
import type { RealtimeServer } from './types';

export type AdapterChoice =
	| { kind: 'none' }
	| { kind: 'postgres' }
	// `key` prefixes the Redis channels, for deployments (or test runs) sharing one Redis.
	| { kind: 'redis'; url: string; key?: string };

/** The table the Postgres adapter stores large or binary payloads in (migration ..._realtime_adapter). */
const ATTACHMENTS_TABLE = 'private.socket_io_attachments';

/**
 * Wires the socket.io adapter that carries cross-node operations (`io.to(room).emit`,
 * `fetchSockets`, room joins) between nodes. Change fan-out does not use it: every node hears
 * the change feed itself. Returns the function that releases its connections.
 */
export async function attachAdapter(
	io: RealtimeServer,
	choice: AdapterChoice,
	pool: pg.Pool,
	log: (line: string) => void
): Promise<() => Promise<void>> {
	if (choice.kind === 'postgres') {
		// Its own small pool: the adapter keeps one connection LISTENing for good, which must not
		// come out of the pool that serves requests.
		const adapterPool = new pg.Pool({ ...pool.options, max: 3 });
		adapterPool.on('error', (err) => log(`[realtime] adapter pool: ${err.message}`));
		io.adapter(
			localFirst(
				createPostgresAdapter(adapterPool, {
					tableName: ATTACHMENTS_TABLE,
					errorHandler: (err) => log(`[realtime] postgres adapter: ${err.message}`)
				})
			)
		);
		return () => adapterPool.end();
	}
	if (choice.kind === 'redis') {
		const pub = createClient({ url: choice.url });
		const sub = pub.duplicate();
		for (const client of [pub, sub]) client.on('error', (err: Error) => log(`[realtime] redis: ${err.message}`));
		await Promise.all([pub.connect(), sub.connect()]);
		io.adapter(createRedisAdapter(pub, sub, choice.key ? { key: choice.key } : {}));
		return async () => {
			await Promise.all([pub.close(), sub.close()]);
		};
	}
	return async () => {};
}

type AdapterFactory<A extends Adapter> = (nsp: ConstructorParameters<typeof Adapter>[0]) => A;

/**
 * The Postgres adapter delivers a broadcast on this node only once it has published it to the
 * others: a NOTIFY round trip, and a table insert past 8,000 bytes. With this, a broadcast is
 * delivered here first, then published with this node's recipients left out, so a board move
 * or a typing hint reaches the screens on the same node at once.
 */
function localFirst<A extends Adapter>(create: AdapterFactory<A>): AdapterFactory<A> {
	// socket.io calls the factory with `new`, which an arrow function refuses.
	return function (nsp) {
		const adapter = create(nsp);
		const publishThenDeliver = adapter.broadcast.bind(adapter);
		adapter.broadcast = (packet, opts: BroadcastOptions) => {
			if (opts.flags?.local) return publishThenDeliver(packet, opts);
			Adapter.prototype.broadcast.call(adapter, packet, opts);
			const here = opts.rooms.size ? [...opts.rooms].flatMap((room) => [...(adapter.rooms.get(room) ?? [])]) : [...adapter.sids.keys()];
			return publishThenDeliver(packet, { ...opts, except: new Set([...(opts.except ?? []), ...here]) });
		};
		return adapter;
	};
}
