import { listInvoices } from '$lib/server/invoicing/queries';
import type { PageServerLoad } from './$types';

/**
 * The client's invoices and credit notes. Read as the client: row-level security keeps drafts
 * and other accounts out; only what a client may be shown leaves the server.
 */
export const load: PageServerLoad = async ({ locals, depends }) => {
	depends('live:invoices', 'live:documents');
	const invoices = await locals.db((sql) => listInvoices(sql, {}));
	return {
		invoices: invoices
			.filter((i) => i.status !== 'draft')
			.map((i) => ({
				id: i.id,
				kind: i.kind,
				number: i.number,
				status: i.status,
				clientName: i.clientName,
				issuedOn: i.issuedOn,
				dueOn: i.dueOn,
				grossCents: i.grossCents,
				documentId: i.documentId
			}))
	};
};
