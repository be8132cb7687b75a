// Relative imports only: the realtime bundle (server.js) authenticates wall sockets with this.
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { asService, type JwtClaims, type Sql } from '../db/pool';

/**
 * Wall devices: a TV signs in to the KPI wall with an opaque token an admin created, never with
 * a person's session. Only the token's SHA-256 is stored; the token is shown once. Each request
 * and each socket checks it again, so revoking a device ends its access at once.
 */

/** The cookie the wall keeps its token in (httpOnly; the wall socket's handshake reads it too). */
export const WALL_COOKIE = 'relais_wall';

export interface WallDevice {
	id: string;
	organisationId: string;
	/** null: the whole organisation. */
	siteId: string | null;
	name: string;
	showsMoney: boolean;
	panels: string[];
	rotateSeconds: number;
}

export interface DeviceRow extends WallDevice {
	siteCode: string | null;
	createdAt: Date;
	createdByName: string | null;
	lastSeenAt: Date | null;
	revokedAt: Date | null;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The claims a device's queries run with. `sub` is the device id, which is no person's: every
 * policy built on memberships sees nobody, and only `private.kpi_site_ids()` (behind the KPI
 * aggregates) recognises `relais_device` for a device that is not revoked.
 */
export function deviceClaims(device: Pick<WallDevice, 'id'>): JwtClaims {
	return { sub: device.id, role: 'authenticated', relais_device: true };
}

/** The device a token belongs to, if it is not revoked; notes when it was last seen (at most once a minute). */
export async function authenticateDevice(pool: pg.Pool, token: string | undefined | null): Promise<WallDevice | null> {
	if (!token || !TOKEN.test(token)) return null;
	// Checking a token is the system's work, on nobody's behalf: no person's claims exist here.
	const { rows } = await asService(pool, (sql) =>
		sql.query<WallDevice>(
			`with found as (
			   select id from public.kpi_devices where token_hash = $1 and revoked_at is null
			 ), seen as (
			   update public.kpi_devices set last_seen_at = now()
			   where id in (select id from found) and (last_seen_at is null or last_seen_at < now() - interval '1 minute')
			 )
			 select d.id, d.organisation_id as "organisationId", d.site_id as "siteId", d.name, d.shows_money as "showsMoney",
			        d.panels, d.rotate_seconds as "rotateSeconds"
			 from public.kpi_devices d where d.id in (select id from found)`,
			[hashOf(token)]
		)
	);
	return rows[0] ?? null;
}

export interface NewDevice {
	name: string;
	siteId: string | null;
	panels: string[];
	rotateSeconds: number;
	showsMoney: boolean;
}

/** Creates a device as the signed-in admin (the insert policy decides); returns its token, shown once. */
export async function createDevice(sql: Sql, input: NewDevice): Promise<{ id: string; token: string }> {
	const token = randomBytes(32).toString('base64url');
	const { rows } = await sql.query<{ id: string }>(
		`insert into public.kpi_devices (organisation_id, site_id, name, token_hash, panels, rotate_seconds, shows_money, created_by)
		 values ((select private.organisation_id()), $1, $2, $3, $4, $5, $6, (select auth.uid()))
		 returning id`,
		[input.siteId, input.name, hashOf(token), input.panels, input.rotateSeconds, input.showsMoney]
	);
	return { id: rows[0].id, token };
}

/** Revokes a device as the signed-in admin; false when it is not theirs or already revoked. */
export async function revokeDevice(sql: Sql, id: string): Promise<boolean> {
	const { rowCount } = await sql.query(
		`update public.kpi_devices set revoked_at = now(), revoked_by = (select auth.uid()) where id = $1 and revoked_at is null`,
		[id]
	);
	return rowCount === 1;
}

/** The organisation's devices the viewer may list (admins), newest first. */
export async function listDevices(sql: Sql): Promise<DeviceRow[]> {
	const { rows } = await sql.query<DeviceRow>(
		`select d.id, d.organisation_id as "organisationId", d.site_id as "siteId", s.code as "siteCode", d.name,
		        d.shows_money as "showsMoney", d.panels, d.rotate_seconds as "rotateSeconds", d.created_at as "createdAt",
		        p.full_name as "createdByName", d.last_seen_at as "lastSeenAt", d.revoked_at as "revokedAt"
		 from public.kpi_devices d
		 left join public.sites s on s.id = d.site_id
		 left join public.profiles p on p.id = d.created_by
		 order by d.revoked_at is not null, d.created_at desc`
	);
	return rows;
}
