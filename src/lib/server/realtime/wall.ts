import type pg from 'pg';
import type { Namespace } from 'socket.io';
import type { WallServerToClientEvents } from '../../realtime/events';
import { readCookie } from '../auth/tokens';
import { withUser } from '../db/pool';
import { authenticateDevice, deviceClaims, WALL_COOKIE } from '../kpi/devices';
import type { CapturedChange } from './changes';
import { originAllowed } from './handshake';
import type { RealtimeServer } from './types';

/**
 * The `/wall` namespace, for KPI wall devices only: a device token (cookie or `auth.token`),
 * never a person's session, and no message a device may send. A device hears `kpi_changed` when
 * a table its figures are computed from changes at one of its sites, and nothing else: no row
 * ids, no tables. Revoking a device drops its sockets on every node; the wall then asks the
 * server whether it may go on.
 */

// Tables the KPI figures read (queries.ts and private.kpi_states).
const KPI_TABLES = new Set(['vehicles', 'tasks', 'invoices', 'transfers', 'transfer_events', 'ticket_threads', 'teams', 'leads']);

export const kpiRoom = (siteId: string) => `kpi:${siteId}`;
const deviceRoom = (deviceId: string) => `device:${deviceId}`;

interface WallSocketData {
	deviceId: string;
}

type WallNamespace = Namespace<Record<string, never>, WallServerToClientEvents, Record<string, never>, WallSocketData>;

export function attachWall(io: RealtimeServer, pool: pg.Pool, allowedOrigins: ReadonlySet<string>, log: (line: string) => void) {
	const wall = io.of('/wall') as unknown as WallNamespace;
	wall.use(async (socket, next) => {
		const { headers, auth } = socket.handshake;
		if (!originAllowed(headers.origin, headers.host, allowedOrigins)) return next(new Error('origin_not_allowed'));
		try {
			const token = readCookie(headers.cookie, WALL_COOKIE) ?? (typeof auth.token === 'string' ? auth.token : undefined);
			const device = await authenticateDevice(pool, token);
			if (!device) return next(new Error('unauthorised'));
			// The sites are read as the device, through the function behind the aggregates' policies.
			const sites = await withUser(pool, deviceClaims(device), async (sql) => {
				const { rows } = await sql.query<{ id: string }>('select id from private.kpi_site_ids() as k (id)');
				return rows.map((r) => r.id);
			});
			socket.data = { deviceId: device.id };
			socket.join([deviceRoom(device.id), ...sites.map(kpiRoom)]);
			next();
		} catch (err) {
			log(`[realtime] wall handshake failed: ${(err as Error).message}`);
			next(new Error('unavailable'));
		}
	});

	/** Called with every batch of the change feed, on every node (each drops its own sockets). */
	return function wallChanges(changes: CapturedChange[]): void {
		const rooms = new Set<string>();
		for (const change of changes) {
			if (change.table === 'kpi_devices' && change.rowId) wall.local.in(deviceRoom(change.rowId)).disconnectSockets(true);
			else if (KPI_TABLES.has(change.table)) for (const site of change.siteIds) rooms.add(kpiRoom(site));
		}
		if (rooms.size) wall.local.to([...rooms]).emit('kpi_changed');
	};
}
