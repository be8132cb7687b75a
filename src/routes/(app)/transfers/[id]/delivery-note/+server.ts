import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import { storage } from '$lib/server/storage';
import { fileResponse } from '$lib/server/file-response';
import { TransferError } from '$lib/server/transfers/errors';
import { transferNotePdf } from '$lib/server/transfers/delivery-pdf';
import type { RequestHandler } from './$types';

/**
 * A delivered transfer's delivery note, rendered for staff who may read the transfer under
 * row-level security; anyone else (another organisation, a client) gets the 404 of a missing one.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401);
	const id = z.guid().safeParse(params.id);
	if (!id.success || locals.user.primaryRole === 'client') error(404);
	try {
		const { bytes, fileName } = await locals.db((sql) => transferNotePdf(sql, storage(), id.data, getLocale()));
		return fileResponse(bytes, { contentType: 'application/pdf', fileName, disposition: 'attachment' });
	} catch (err) {
		if (err instanceof TransferError) error(err.status, Object.values(err.errors).flat()[0] ?? err.code);
		throw err;
	}
};
