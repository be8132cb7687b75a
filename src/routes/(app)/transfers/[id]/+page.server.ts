import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { trackedTransfer, transferEvents } from '$lib/server/transfers/tracker';
import type { PageServerLoad } from './$types';

/** One transfer at any status (notifications and the tracker link here): where, who, its steps, its note. */
export const load: PageServerLoad = async ({ locals, depends, params }) => {
	depends('live:transfers', 'live:transfer_events');
	const id = z.guid().safeParse(params.id);
	if (!id.success) error(404);
	return locals.db(async (sql) => {
		const transfer = await trackedTransfer(sql, id.data);
		if (!transfer) error(404);
		return { transfer: { ...transfer, events: await transferEvents(sql, [transfer.id]) } };
	});
};
