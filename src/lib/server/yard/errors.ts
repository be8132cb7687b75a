import type { FieldErrors } from '$lib/validation';

export type Locale = 'fr' | 'en';
export type YardErrorCode = 'invalid' | 'bay_taken' | 'not_found' | 'forbidden' | 'conflict';

/** An expected refusal of a yard action: the HTTP status a route answers, a code, errors per field. */
export class YardError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409,
		readonly code: YardErrorCode,
		readonly errors: FieldErrors = {}
	) {
		super(`${code}: ${Object.values(errors).flat().join(' ')}`);
	}
}

const t = (fr: string, en: string) => (l: Locale) => (l === 'fr' ? fr : en);

export const yardTexts = {
	bayTaken: t('Cette place est déjà occupée : choisissez-en une autre.', 'This bay is taken: choose another one.'),
	bayNotFound: t('Cette place n’existe pas sur ce site.', 'This bay does not exist at this site.'),
	vehicleNotFound: t('Véhicule introuvable.', 'Vehicle not found.'),
	taskNotFound: t('Tâche introuvable.', 'Task not found.'),
	siteNotFound: t('Site introuvable.', 'Site not found.'),
	orderNotFound: t('Ce véhicule ne fait pas partie de cette commande.', 'This vehicle is not part of that order.'),
	alreadyOnSite: t('Ce véhicule est déjà sur le site.', 'This vehicle is already on site.'),
	notOnSite: t('Ce véhicule n’est pas sur le site.', 'This vehicle is not on site.'),
	elsewhere: t(
		'Ce véhicule est enregistré sur un autre site : réceptionnez son transfert.',
		'This vehicle is registered at another site: receive its transfer.'
	),
	detailsNeeded: t(
		'Véhicule inconnu : saisissez son VIN, sa marque, son modèle et son énergie.',
		'Unknown vehicle: enter its VIN, make, model and energy.'
	),
	keyReused: t('Cette action a déjà été envoyée pour autre chose.', 'This action was already sent for something else.'),
	forbidden: t('Vous ne pouvez pas faire cette action sur ce site.', 'You may not do this at this site.'),
	photo: t('Photo illisible ou trop lourde.', 'Unreadable or too large photo.')
};

/**
 * The gate functions (migration 20261203001000) refuse with a stable HINT; row-level security
 * refuses with 42501; the one-vehicle-per-bay index with its name. Each becomes a YardError on
 * the field concerned, worded for the reader; anything else is rethrown as it is.
 */
export function asYardError(err: unknown, locale: Locale): unknown {
	if (err instanceof YardError) return err;
	const e = err as { code?: string; hint?: string; constraint?: string };
	if (e.hint === 'bay_taken' || (e.code === '23505' && e.constraint === 'vehicles_one_per_bay')) {
		return new YardError(409, 'bay_taken', { bayId: [yardTexts.bayTaken(locale)] });
	}
	switch (e.hint) {
		case 'bay_not_found':
			return new YardError(404, 'not_found', { bayId: [yardTexts.bayNotFound(locale)] });
		case 'vehicle_not_found':
			return new YardError(404, 'not_found', { vehicleId: [yardTexts.vehicleNotFound(locale)] });
		case 'site_not_found':
			return new YardError(404, 'not_found', { siteId: [yardTexts.siteNotFound(locale)] });
		case 'order_not_found':
			return new YardError(404, 'not_found', { orderId: [yardTexts.orderNotFound(locale)] });
		case 'already_on_site':
			return new YardError(409, 'conflict', { plate: [yardTexts.alreadyOnSite(locale)] });
		case 'not_on_site':
			return new YardError(409, 'conflict', { vehicleId: [yardTexts.notOnSite(locale)] });
		case 'vehicle_elsewhere':
			return new YardError(409, 'conflict', { plate: [yardTexts.elsewhere(locale)] });
		case 'details_needed':
			return new YardError(400, 'invalid', { vin: [yardTexts.detailsNeeded(locale)] });
		case 'key_reused':
			return new YardError(409, 'conflict', { '': [yardTexts.keyReused(locale)] });
	}
	// Another site's vehicle with this VIN; an idempotency key recorded where the caller cannot read it.
	if (e.code === '23505' && e.constraint === 'vehicles_organisation_id_vin_key') {
		return new YardError(409, 'conflict', { vin: [yardTexts.elsewhere(locale)] });
	}
	if (e.code === '23505' && e.constraint === 'movements_idempotency_key_key') {
		return new YardError(409, 'conflict', { '': [yardTexts.keyReused(locale)] });
	}
	if (e.code === '42501') return new YardError(403, 'forbidden', { '': [yardTexts.forbidden(locale)] });
	return err;
}
