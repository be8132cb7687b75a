import type { Sql } from '$lib/server/db/pool';
import type { DocumentModel, Locale } from '$lib/server/documents/model';
import { renderDocument } from '$lib/server/documents/render';
import { issuerOf, templateTexts } from '$lib/server/documents/store';
import type { Storage } from '$lib/server/storage';
import { transferStatusLabel } from '$lib/components/transfers/status';
import { TransferError } from './errors';
import { transferEvents } from './tracker';

/**
 * A transfer's delivery note (the `transfer_note` document): the sending site's legal details,
 * the vehicle, from and to, the driver, every step with who, when and why, and the signatures.
 * Rendered on demand once the vehicle is delivered, never stored: `renderDocument` is pure and
 * the note is dated by the delivery, so the same transfer prints the same note every time, and
 * who may download it is exactly who may read the transfer (RLS on `transfers`).
 */

const PRINTABLE = new Set(['delivered', 'received']);

const texts = {
	notYet: (l: Locale) =>
		l === 'fr' ? 'Le bon de livraison est disponible une fois le véhicule livré.' : 'The delivery note is available once the vehicle is delivered.',
	reason: (l: Locale) => (l === 'fr' ? 'Motif' : 'Reason'),
	steps: (l: Locale) => (l === 'fr' ? 'Étapes du transfert (qui, quand, pourquoi)' : 'Transfer steps (who, when, why)'),
	someone: (l: Locale) => (l === 'fr' ? 'quelqu’un' : 'someone')
};

interface Head {
	status: string;
	reason: string;
	fromSiteId: string;
	fromName: string;
	fromAddress: string;
	toName: string | null;
	toLegalName: string | null;
	toAddress: string | null;
	clientName: string | null;
	deliveryAddress: string | null;
	driverName: string | null;
	plate: string | null;
	vin: string;
	make: string;
	model: string;
	mileageKm: number | null;
	deliveredOn: string | null;
}

/** The note's number: the transfer's id, short enough to read over the phone. */
export const transferNoteNumber = (transferId: string): string => `TR-${transferId.slice(0, 8).toUpperCase()}`;

/** The note as it prints, read as the person: null when they may not see the transfer. */
export async function transferNoteDocument(sql: Sql, store: Storage, transferId: string, locale: Locale): Promise<DocumentModel | null> {
	const { rows } = await sql.query<Head>(
		`select t.status, t.reason, t.from_site_id as "fromSiteId", fs.name as "fromName",
		        fs.address_line || ', ' || fs.postcode || ' ' || fs.city as "fromAddress",
		        ts.name as "toName", ts.legal_name as "toLegalName", ts.address_line || ', ' || ts.postcode || ' ' || ts.city as "toAddress",
		        ca.name as "clientName", t.delivery_address as "deliveryAddress", dp.full_name as "driverName",
		        v.plate, v.vin, v.make, v.model, v.mileage_km as "mileageKm",
		        (select to_char(max(e.occurred_at) at time zone 'Europe/Paris', 'YYYY-MM-DD') from public.transfer_events e
		         where e.transfer_id = t.id and e.status = 'delivered') as "deliveredOn"
		 from public.transfers t
		 cross join lateral private.transferred_vehicle(t.id) v
		 join public.sites fs on fs.id = t.from_site_id
		 left join public.sites ts on ts.id = t.to_site_id
		 left join public.client_accounts ca on ca.id = t.client_account_id
		 left join public.profiles dp on dp.id = t.driver_id
		 where t.id = $1`,
		[transferId]
	);
	const head = rows[0];
	if (!head) return null;
	if (!PRINTABLE.has(head.status) || !head.deliveredOn) throw new TransferError(409, 'conflict', { '': [texts.notYet(locale)] });
	const issuer = await issuerOf(sql, store, head.fromSiteId);
	if (!issuer) return null;
	const template = await templateTexts(sql, head.fromSiteId, 'transfer_note', locale);
	const events = await transferEvents(sql, [transferId]);

	const when = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
	const steps = events.map((e) =>
		[when.format(new Date(e.at)), transferStatusLabel(e.status, locale), e.actor ?? texts.someone(locale), e.note ? `« ${e.note} »` : null]
			.filter(Boolean)
			.join(' · ')
	);
	const destination = head.toName ?? head.deliveryAddress ?? '';
	return {
		kind: 'transfer_note',
		locale,
		issuer,
		recipient: head.toName
			? { name: head.toLegalName ?? head.toName, addressLines: [head.toName, head.toAddress ?? ''] }
			: { name: head.clientName ?? destination, addressLines: [head.deliveryAddress ?? ''] },
		number: transferNoteNumber(transferId),
		issuedOn: head.deliveredOn,
		route: {
			from: `${head.fromName}\n${head.fromAddress}`,
			to: head.toName ? `${head.toName}\n${head.toAddress ?? ''}` : destination,
			driver: head.driverName
		},
		vehicles: [{ plate: head.plate, vin: head.vin, make: head.make, model: head.model, mileageKm: head.mileageKm }],
		notes: [`${texts.reason(locale)}${locale === 'fr' ? ' : ' : ': '}${head.reason}`, '', texts.steps(locale), ...steps].join('\n'),
		texts: template
	};
}

/** The note's PDF bytes and file name; throws a TransferError 404 or 409 the route answers. */
export async function transferNotePdf(sql: Sql, store: Storage, transferId: string, locale: Locale): Promise<{ bytes: Uint8Array; fileName: string }> {
	const model = await transferNoteDocument(sql, store, transferId, locale);
	if (!model) throw new TransferError(404, 'not_found');
	return { bytes: await renderDocument(model), fileName: `${model.number}.pdf` };
}
