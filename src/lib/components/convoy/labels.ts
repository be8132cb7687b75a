import type { VehicleCategory } from '$lib/domain/convoy/tariff';
import { m } from '$lib/paraglide/messages';

/** A commune as the autocomplete endpoint returns it. */
export type CommuneChoice = { insee: string; name: string; postcodes: string[] };

export const categoryLabel: Record<VehicleCategory, () => string> = {
	city_car: m.convoy_category_city_car,
	sedan: m.convoy_category_sedan,
	suv: m.convoy_category_suv,
	van: m.convoy_category_van,
	premium: m.convoy_category_premium
};
