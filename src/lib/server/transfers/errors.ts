import { documentList } from '$lib/domain/transfers/documents';
import type { FieldErrors } from '$lib/validation';

export type Locale = 'fr' | 'en';
export type TransferErrorCode = 'invalid' | 'not_found' | 'forbidden' | 'conflict';

/** An expected refusal, with the HTTP status a route answers and, for forms, errors per field. */
export class TransferError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409,
		readonly code: TransferErrorCode,
		readonly errors: FieldErrors = {}
	) {
		super(`${code}: ${Object.values(errors).flat().join(' ')}`);
	}
}

const texts = {
	notCompliant: (kinds: string, l: Locale) =>
		l === 'fr'
			? `Ce chauffeur ne peut pas être affecté : document manquant ou expiré (${kinds}).`
			: `This driver cannot be assigned: missing or expired document (${kinds}).`,
	alreadyOpen: (l: Locale) =>
		l === 'fr' ? 'Ce véhicule fait déjà l’objet d’un transfert en cours.' : 'This vehicle is already in an open transfer.',
	illegalStep: (l: Locale) =>
		l === 'fr' ? 'Cette étape ne suit pas l’état actuel du transfert.' : 'This step does not follow the transfer’s current state.',
	notApprover: (l: Locale) =>
		l === 'fr'
			? 'Seul un responsable du site désigné par la règle de l’organisation approuve ce transfert.'
			: 'Only a manager of the site named by the organisation’s rule approves this transfer.',
	notDriver: (l: Locale) =>
		l === 'fr' ? 'Seul le chauffeur affecté enregistre cette étape.' : 'Only the assigned driver records this step.',
	notReceiver: (l: Locale) =>
		l === 'fr' ? 'Seul le personnel du site destinataire enregistre la réception.' : 'Only the receiving site’s staff record receipt.',
	destination: (l: Locale) =>
		l === 'fr' ? 'Choisissez un site destinataire ou une adresse de livraison, pas les deux.' : 'Choose a receiving site or a delivery address, not both.',
	driverNeeded: (l: Locale) => (l === 'fr' ? 'Choisissez un chauffeur.' : 'Choose a driver.'),
	forbidden: (l: Locale) => (l === 'fr' ? 'Vous ne pouvez pas faire cette action sur ce transfert.' : 'You may not do this on this transfer.'),
	notFound: (l: Locale) => (l === 'fr' ? 'Transfert introuvable.' : 'Transfer not found.')
};

export const transferTexts = texts;

/**
 * The database enforces a transfer's life (migration 20261203000400); its refusals carry a
 * stable HINT and become TransferErrors worded for the reader, on the field concerned.
 */
export function asTransferError(err: unknown, locale: Locale): unknown {
	const e = err as { code?: string; hint?: string; detail?: string; constraint?: string };
	switch (e.hint) {
		case 'driver_not_compliant':
			return new TransferError(409, 'conflict', { driverId: [texts.notCompliant(documentList((e.detail ?? '').split(','), locale), locale)] });
		case 'transfer_illegal_step':
			return new TransferError(409, 'conflict', { '': [texts.illegalStep(locale)] });
		case 'transfer_not_approver':
			return new TransferError(403, 'forbidden', { '': [texts.notApprover(locale)] });
		case 'transfer_not_driver':
			return new TransferError(403, 'forbidden', { '': [texts.notDriver(locale)] });
		case 'transfer_not_receiver':
			return new TransferError(403, 'forbidden', { '': [texts.notReceiver(locale)] });
		case 'transfer_driver_needed':
			return new TransferError(400, 'invalid', { driverId: [texts.driverNeeded(locale)] });
		case 'transfer_not_yours':
			return new TransferError(403, 'forbidden', { '': [texts.forbidden(locale)] });
	}
	if (e.code === '23505' && e.constraint === 'transfers_one_open_per_vehicle') {
		return new TransferError(409, 'conflict', { vehicleId: [texts.alreadyOpen(locale)] });
	}
	if (e.code === '42501') return new TransferError(403, 'forbidden', { '': [texts.forbidden(locale)] });
	return err;
}

/** Runs `fn`, turning the database's refusals into TransferErrors. */
export async function refusals<T>(locale: Locale, fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (err) {
		throw asTransferError(err, locale);
	}
}
