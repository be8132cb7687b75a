import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { findCustomers, findStockVehicles } from '$lib/server/crm/lead-entry';
import type { RequestHandler } from './$types';

/**
 * The manual entry's look-ups, as the person: customers by name, email or phone (`q`), the
 * probable duplicates of a new customer's contact (`email`, `phone`), vehicles of the group's
 * stock by plate or model (`vehicle`).
 */
const schema = z.object({
	q: z.string().max(100).optional(),
	email: z.string().max(254).optional(),
	phone: z.string().max(40).optional(),
	vehicle: z.string().max(60).optional()
});

export const GET: RequestHandler = async ({ locals, url }) => {
	const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) return json({ customers: [], vehicles: [] }, { status: 400 });
	const { q, email, phone, vehicle } = parsed.data;
	return json(
		await locals.db(async (sql) => ({
			customers: q || email || phone ? await findCustomers(sql, { text: q, email, phone }) : [],
			vehicles: vehicle ? await findStockVehicles(sql, vehicle) : []
		}))
	);
};
