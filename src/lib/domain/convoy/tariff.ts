import { z } from 'zod';

/** Vehicle categories a convoy is priced by (the surcharge applies per category). */
export const vehicleCategories = ['city_car', 'sedan', 'suv', 'van', 'premium'] as const;
export type VehicleCategory = (typeof vehicleCategories)[number];

export type TariffBand = {
	/** Upper bound of the band in km; null for the last, open-ended band. */
	upToKm: number | null;
	centsPerKm: number;
};

export type ConvoyTariff = {
	bands: TariffBand[];
	minimumCents: number;
	/** Percentage added per category, e.g. 20 for +20 %. */
	surchargePercent: Record<VehicleCategory, number>;
};

/** What an organisation charges until an admin sets its own (organisations.settings.convoy_tariff). */
export const DEFAULT_CONVOY_TARIFF: ConvoyTariff = {
	bands: [
		{ upToKm: 100, centsPerKm: 120 },
		{ upToKm: 500, centsPerKm: 90 },
		{ upToKm: null, centsPerKm: 70 }
	],
	minimumCents: 9000,
	surchargePercent: { city_car: 0, sedan: 10, suv: 20, van: 30, premium: 40 }
};

const cents = z.number().int().min(0).max(10_000_000);

export const convoyTariffSchema = z
	.object({
		bands: z
			.array(z.object({ upToKm: z.number().int().min(1).max(5000).nullable(), centsPerKm: cents }))
			.min(1)
			.max(8),
		minimumCents: cents,
		surchargePercent: z.object(
			Object.fromEntries(vehicleCategories.map((c) => [c, z.number().min(0).max(300)])) as Record<VehicleCategory, z.ZodNumber>
		)
	})
	.superRefine((tariff, ctx) => {
		for (const { index, issue } of bandIssues(tariff.bands)) ctx.addIssue({ code: 'custom', path: ['bands', index, 'upToKm'], message: issue });
	});

export type BandIssue = 'open_last_band' | 'bounded_band' | 'increasing_bands';

/** Bands must rise strictly and only the last one may be open-ended (and it must be). */
export function bandIssues(bands: { upToKm: number | null }[]): { index: number; issue: BandIssue }[] {
	const issues: { index: number; issue: BandIssue }[] = [];
	bands.forEach((band, index) => {
		const last = index === bands.length - 1;
		if (last && band.upToKm !== null) issues.push({ index, issue: 'open_last_band' });
		else if (!last && band.upToKm === null) issues.push({ index, issue: 'bounded_band' });
		else if (index > 0 && band.upToKm !== null && band.upToKm <= (bands[index - 1].upToKm ?? 0)) issues.push({ index, issue: 'increasing_bands' });
	});
	return issues;
}

export type ConvoyQuote = {
	/** Whole kilometres billed: the estimate rounded to the nearest km. */
	billedKm: number;
	/** Per band: the km it covers and what they cost, before minimum and surcharge. */
	bands: { fromKm: number; toKm: number; km: number; centsPerKm: number; cents: number }[];
	distanceCents: number;
	minimumApplied: boolean;
	surchargePercent: number;
	surchargeCents: number;
	totalCents: number;
};

/**
 * Prices a convoy. Bands are marginal, like tax brackets: each km is charged at the rate of the
 * band it falls in, so one more km never costs less. The minimum applies to the distance part,
 * then the category surcharge is added on top, rounded to the cent.
 */
export function quoteConvoy({ km, category, tariff }: { km: number; category: VehicleCategory; tariff: ConvoyTariff }): ConvoyQuote {
	const billedKm = Math.max(0, Math.round(km));
	const bands: ConvoyQuote['bands'] = [];
	let from = 0;
	for (const band of tariff.bands) {
		const to = band.upToKm === null ? billedKm : Math.min(billedKm, band.upToKm);
		if (to > from) bands.push({ fromKm: from, toKm: to, km: to - from, centsPerKm: band.centsPerKm, cents: (to - from) * band.centsPerKm });
		if (band.upToKm === null || band.upToKm >= billedKm) break;
		from = band.upToKm;
	}
	const banded = bands.reduce((sum, b) => sum + b.cents, 0);
	const distanceCents = Math.max(banded, tariff.minimumCents);
	const surchargePercent = tariff.surchargePercent[category];
	const surchargeCents = Math.round((distanceCents * surchargePercent) / 100);
	return {
		billedKm,
		bands,
		distanceCents,
		minimumApplied: banded < tariff.minimumCents,
		surchargePercent,
		surchargeCents,
		totalCents: distanceCents + surchargeCents
	};
}

/** An INSEE commune code: five digits, or 2A/2B and three digits in Corsica. */
export const inseeCode = z.string().trim().regex(/^(\d{5}|2[AB]\d{3})$/);

export const quoteRequestSchema = z.object({
	from: inseeCode,
	to: inseeCode,
	category: z.enum(vehicleCategories)
});
export type QuoteRequest = z.output<typeof quoteRequestSchema>;

export const communeSearchSchema = z.object({
	q: z.string().trim().min(1).max(80),
	limit: z.coerce.number().int().min(1).max(20).default(8)
});
