import { json } from '@sveltejs/kit';
import { appPool } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** For load balancers: the process is up and its database answers. */
export const GET: RequestHandler = async () => {
	const pool = await appPool();
	await pool.query('select 1');
	return json({ ok: true });
};
