import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import { CrmError } from '$lib/server/crm/pipeline';
import { nextStatuses, readQuote, requestQuoteTransfer, setQuoteStatus } from '$lib/server/crm/quotes';
import type { Actions, PageServerLoad } from './$types';

/** A quote (or order): its status steps, its sale document, and the transfer that brings its vehicle. */
export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends('live:quotes', 'live:transfers', 'live:leads');
	const id = z.guid().safeParse(params.id);
	if (!id.success) error(404);
	const quote = await locals.db((sql) => readQuote(sql, id.data));
	if (!quote) error(404);
	return {
		quote,
		next: quote.canEdit ? nextStatuses[quote.status] : [],
		// The one-click transfer: the vehicle stands elsewhere, and nothing brings it yet.
		canRequestTransfer:
			quote.canEdit &&
			quote.status !== 'declined' &&
			quote.vehicle !== null &&
			quote.vehicle.siteId !== quote.sellingSiteId &&
			(quote.transfer === null || quote.transfer.status === 'cancelled')
	};
};

export const actions: Actions = {
	status: async ({ locals, params, request }) => {
		const form = await request.formData();
		try {
			await locals.db((sql) => setQuoteStatus(sql, { quoteId: params.id, status: form.get('status') }, getLocale()));
			return { action: 'status', done: true };
		} catch (err) {
			if (!(err instanceof CrmError)) throw err;
			return fail(err.status, { action: 'status', errors: err.errors });
		}
	},
	transfer: async ({ locals, params }) => {
		try {
			await locals.db((sql) => requestQuoteTransfer(sql, params.id, getLocale()));
			return { action: 'transfer', done: true };
		} catch (err) {
			if (!(err instanceof CrmError)) throw err;
			return fail(err.status, { action: 'transfer', errors: err.errors });
		}
	}
};
