import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import { inspectionReport } from '$lib/server/documents/inspection-report';
import { fileResponse } from '$lib/server/file-response';
import { storage } from '$lib/server/storage';
import type { RequestHandler } from './$types';

/**
 * An inspection's report (état des lieux at gate-in, procès-verbal de livraison at gate-out),
 * rendered for someone who may read the inspection under row-level security: the site's staff
 * or the vehicle's client. Anyone else gets the same 404 as for a missing inspection.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401);
	const id = z.guid().safeParse(params.id);
	if (!id.success) error(404);
	const report = await locals.db((sql) => inspectionReport(sql, storage(), id.data, getLocale()));
	if (!report) error(404);
	return fileResponse(report.pdf, { contentType: 'application/pdf', fileName: report.fileName, disposition: 'inline' });
};
