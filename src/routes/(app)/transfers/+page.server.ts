import type { PageServerLoad } from './$types';

export interface TransferRow {
	id: string;
	status: string;
	reason: string;
	updatedOn: string;
	plate: string | null;
	vehicle: string;
	from: string;
	to: string | null;
	deliveryAddress: string | null;
}

/**
 * Transfers in flight that the person may see: RLS gives drivers their own assignments and
 * staff those of their sites. The full tracker (map, timeline, actions) builds on this list.
 */
export const load: PageServerLoad = async ({ locals, depends }) => {
	depends('live:transfers');
	const transfers = await locals.db(async (sql) => {
		const { rows } = await sql.query<TransferRow>(`
			select t.id, t.status, t.reason, to_char(t.updated_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as "updatedOn", v.plate,
			       v.make || ' ' || v.model as vehicle, fs.name as "from", ts.name as "to",
			       t.delivery_address as "deliveryAddress"
			from public.transfers t
			join public.vehicles v on v.id = t.vehicle_id
			join public.sites fs on fs.id = t.from_site_id
			left join public.sites ts on ts.id = t.to_site_id
			where t.status not in ('received', 'cancelled')
			order by t.updated_at desc
			limit 200`);
		return rows;
	});
	return { transfers };
};
