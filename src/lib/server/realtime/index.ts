// Only relative imports in src/lib/server/realtime: server.js runs a bundle of it outside
// SvelteKit, where $lib, $env and $app do not exist.
import type { Server as HttpServer } from 'node:http';
import type pg from 'pg';
import { Server } from 'socket.io';
import { MAX_SYNC_BYTES } from '../../board/model';
import { createBoardHub, type BoardHub } from '../board/hub';
import { ensureDatabase } from '../boot';
import { getPool } from '../db/pool';
import { env } from '../env';
import { attachAdapter, type AdapterChoice } from './adapter';
import { catchUpHandler } from './catch-up';
import { createPgChangeFeed } from './changes';
import { AccessEpochs } from './epochs';
import { sweepExpiredSessions } from './expiry';
import { createFanout } from './fanout';
import { handshake } from './handshake';
import { createMessageLimiter, limitMessages } from './limits';
import { replayOnlyAfterAuth } from './recovery';
import { describeRooms } from './rooms';
import { threadHandlers } from './threads';
import { attachWall } from './wall';
import type { RealtimeServer } from './types';
import { pruneChangeLogPeriodically } from './retention';
import { startInvoicingJobs } from '../invoicing/jobs';
import { startDriverAlerts } from '../transfers/alerts';
import { startLeadEscalation } from '../crm/escalation';
import { startNotifications } from '../notify/start';

export type { AdapterChoice } from './adapter';

export interface RealtimeDeps {
	pool: pg.Pool;
	/** Origins allowed to open a socket besides the server's own host. */
	allowedOrigins: string[];
	adapter: AdapterChoice;
	log?: (line: string) => void;
	/** How often sockets are checked for an expired token. */
	tokenCheckMs?: number;
}

export interface Realtime {
	/** For cross-node operations (`io.to(room).emit`, `fetchSockets`) through the adapter. */
	io: RealtimeServer;
	/** The planning boards held by this node. */
	boards: BoardHub;
	/** Drops every socket (clients reconnect elsewhere) and releases connections; leaves the HTTP server open. */
	close(): Promise<void>;
}

/**
 * Builds the socket.io server on `httpServer`: handshake auth and rooms, message handlers,
 * and the change feed fanned out to rooms. Nothing is attached until the feed listens, so no
 * socket can ask for a cursor the feed does not have yet.
 */
export async function createRealtime(httpServer: HttpServer, deps: RealtimeDeps): Promise<Realtime> {
	const { pool } = deps;
	const log = deps.log ?? console.log;
	const allowed = new Set(deps.allowedOrigins);
	const io: RealtimeServer = new Server({
		serveClient: false,
		cors: { origin: [...allowed], credentials: true },
		connectionStateRecovery: { skipMiddlewares: false },
		// Client messages are a few dozen bytes, except a board update (a whole week accepted at
		// once); the default megabyte only helps a flood.
		maxHttpBufferSize: MAX_SYNC_BYTES + 1024,
		// The HTTP server is shared (Vite's HMR socket in development): leave others' upgrades alone.
		destroyUpgrade: false
	});
	const releaseAdapter = await attachAdapter(io, deps.adapter, pool, log);
	replayOnlyAfterAuth(io);

	const epochs = new AccessEpochs();
	const feed = createPgChangeFeed(pool.options, log);
	const limiter = createMessageLimiter();
	const boards = createBoardHub({ io, pool, log });
	io.use(handshake(pool, epochs, allowed, log));
	io.on('connection', (socket) => {
		limitMessages(socket, limiter);
		socket.on('catch_up', catchUpHandler(socket, pool, feed, log));
		const threads = threadHandlers(socket, pool, epochs, log);
		socket.on('join_thread', threads.join);
		socket.on('leave_thread', threads.leave);
		socket.on('thread_typing', threads.typing);
		boards.attach(socket);
		socket.emit('rooms', describeRooms(socket.rooms));
	});

	const wallChanges = attachWall(io, pool, allowed, log);
	const fanOut = createFanout(io, pool, epochs, log, (socket) => boards.refreshAccess(socket));
	await feed.start(async (changes) => {
		await fanOut(changes);
		wallChanges(changes);
		boards.tasksChanged(changes);
	});
	const stopSweep = sweepExpiredSessions(io, deps.tokenCheckMs ?? 60_000);
	io.attach(httpServer);

	return {
		io,
		boards,
		async close() {
			stopSweep();
			// Not io.close(): it also closes the HTTP server and waits for its last keep-alive
			// connection, and that server is the caller's (server.js closes it after this).
			io.engine.close();
			// Moves relayed but not yet written are written before the pool goes.
			await boards.close();
			await feed.stop();
			await io.of('/').adapter.close();
			await io.of('/wall').adapter.close();
			await releaseAdapter();
		}
	};
}

/** The entry used by the dev server (vite.config.ts) and by server.js: configuration from env. */
export async function startRealtime(httpServer: HttpServer): Promise<Realtime> {
	const config = env();
	const url = await ensureDatabase();
	const origins = [config.ORIGIN, ...config.ALLOWED_ORIGINS.split(',')].map((o) => o?.trim()).filter((o): o is string => Boolean(o));
	const adapter: AdapterChoice =
		config.REALTIME_ADAPTER === 'redis' ? { kind: 'redis', url: config.REDIS_URL } : { kind: config.REALTIME_ADAPTER };
	const pool = getPool(url);
	const realtime = await createRealtime(httpServer, {
		pool,
		// An Origin header carries no path or trailing slash: compare in that form.
		allowedOrigins: origins.map((o) => new URL(o).origin),
		adapter
	});
	const stopPruning = pruneChangeLogPeriodically(pool, config.CHANGE_LOG_RETENTION_HOURS, console.log);
	const notifications = await startNotifications(pool);
	const invoicing = startInvoicingJobs(pool);
	const driverAlerts = startDriverAlerts(pool);
	const leadEscalation = startLeadEscalation(pool);
	console.log(`[realtime] socket.io ready (adapter: ${config.REALTIME_ADAPTER})`);
	return {
		...realtime,
		close: async () => {
			stopPruning();
			invoicing.close();
			driverAlerts.close();
			leadEscalation.close();
			// Sends under way finish (and are recorded) before the pool goes.
			await notifications.close();
			return realtime.close();
		}
	};
}
