import { invoiceTotals, lineNet } from '../../domain/invoicing/totals';
import { addDays, monthOf } from '../../domain/planning/calendar';
import type { Damage, DocumentKind, DocumentLine, DocumentModel, Issuer, Locale, Party, TemplateTexts, VehicleFacts } from './model';

/**
 * A credible document of each kind, for the template editor's preview: the site's real legal
 * details and logo, the texts being edited, and invented but plausible business around them
 * (French plates and VINs, a month of preparation work, an inspection with damages, a transfer
 * between two sites). Nothing here is stored or sent.
 */

export interface SampleInput {
	kind: DocumentKind;
	locale: Locale;
	issuer: Issuer;
	/** Printed in the sample numbers, as the real series do (F-LYON-2026-00042). */
	siteCode: string;
	/** yyyy-mm-dd */
	today: string;
	texts: TemplateTexts;
}

type Words = { fr: string; en: string };

const VEHICLES = {
	clio: { plate: 'GH-482-KT', vin: 'VF1RJA00468123456', make: 'Renault', model: 'Clio V TCe 90', mileageKm: 12_480, energyLevelPercent: 50 },
	polo: { plate: 'FK-913-ZD', vin: 'WVWZZZAWZLU028451', make: 'Volkswagen', model: 'Polo 1.0 TSI', mileageKm: 31_204, energyLevelPercent: 25 },
	e208: { plate: 'GB-207-QS', vin: 'VR3UHZKXZLT004512', make: 'Peugeot', model: 'e-208 GT', mileageKm: 8_915, energyLevelPercent: 82 },
	model3: { plate: 'GL-056-RA', vin: '5YJ3E7EB2LF612347', make: 'Tesla', model: 'Model 3 Grande Autonomie', mileageKm: 18_342, energyLevelPercent: 62 },
	c3: { plate: 'GE-771-PB', vin: 'VF7SXHMZ6KT551230', make: 'Citroën', model: 'C3 PureTech 83', mileageKm: 22_067, energyLevelPercent: 75 },
	p3008: { plate: null, vin: 'VR3MRHNSSPJ071942', make: 'Peugeot', model: '3008 Hybrid 136 e-DCS6 Allure', mileageKm: 1_250, energyLevelPercent: 100 }
} satisfies Record<string, VehicleFacts>;

const detail = (v: VehicleFacts) => [v.plate, v.vin].filter(Boolean).join(' · ');

const RENTAL_COMPANY: Party = {
	name: 'Loc’Azur Location SAS',
	addressLines: ['Service comptabilité fournisseurs', '12 rue de la République', '69002 Lyon'],
	email: 'compta@locazur.example',
	vatNumber: 'FR41812345678'
};

const PRIVATE_BUYER: Party = {
	name: 'M. Julien Moreau',
	addressLines: ['27 chemin des Vignes', '69290 Craponne'],
	email: 'julien.moreau@example.fr'
};

function priced(lines: { text: Words; detail?: string; quantity?: number; unitPriceCents: number; discountCents?: number; vatRateBp?: number }[], locale: Locale): DocumentLine[] {
	return lines.map((l) => {
		const line = { quantity: l.quantity ?? 1, unitPriceCents: l.unitPriceCents, discountCents: l.discountCents ?? 0, vatRateBp: l.vatRateBp ?? 2000 };
		return { description: l.text[locale], detail: l.detail ?? null, ...line, netCents: lineNet(line) };
	});
}

/** A month of hub work for a rental company: preparation, washes, repairs, a transfer, storage. */
function monthOfWork(locale: Locale): DocumentLine[] {
	return priced(
		[
			{ text: { fr: 'Préparation esthétique complète', en: 'Full cosmetic preparation' }, detail: detail(VEHICLES.clio), unitPriceCents: 14_500 },
			{ text: { fr: 'Lavage extérieur et intérieur', en: 'Exterior and interior wash' }, detail: detail(VEHICLES.polo), unitPriceCents: 3_900 },
			{
				text: { fr: 'Débosselage sans peinture (2 impacts)', en: 'Paintless dent repair (2 dents)' },
				detail: detail(VEHICLES.polo),
				quantity: 2,
				unitPriceCents: 6_500,
				discountCents: 1_000
			},
			{ text: { fr: 'Recharge et contrôle batterie haute tension', en: 'High-voltage battery charge and check' }, detail: detail(VEHICLES.e208), unitPriceCents: 4_800 },
			{ text: { fr: 'Convoyage Lyon → Villeurbanne', en: 'Delivery drive Lyon → Villeurbanne' }, detail: detail(VEHICLES.model3), unitPriceCents: 8_900 },
			{ text: { fr: 'Gardiennage sur parc (jour × véhicule)', en: 'Yard storage (day × vehicle)' }, detail: '3 × 30', quantity: 90, unitPriceCents: 450 }
		],
		locale
	);
}

/** A demonstration car sold to a private buyer, with its registration paid on his behalf (no VAT on disbursements). */
function carSale(locale: Locale): DocumentLine[] {
	return priced(
		[
			{
				text: { fr: 'Peugeot 3008 Hybrid 136 e-DCS6 Allure, véhicule de démonstration', en: 'Peugeot 3008 Hybrid 136 e-DCS6 Allure, demonstration vehicle' },
				detail: detail(VEHICLES.p3008),
				unitPriceCents: 2_916_667,
				discountCents: 83_334
			},
			{ text: { fr: 'Frais de mise à la route', en: 'On-the-road preparation' }, unitPriceCents: 37_500 },
			{ text: { fr: 'Jeu de tapis de sol', en: 'Set of floor mats' }, unitPriceCents: 7_500 },
			{
				text: { fr: 'Certificat d’immatriculation (débours)', en: 'Registration certificate (disbursement)' },
				unitPriceCents: 31_276,
				vatRateBp: 0
			}
		],
		locale
	);
}

const inspectionDamages: Record<Locale, Damage[]> = {
	fr: [
		{ zone: 'Pare-chocs avant', note: 'Rayure de 5 cm côté gauche, peinture atteinte.' },
		{ zone: 'Jante arrière droite', note: 'Frottement de trottoir sur 10 cm.' },
		{ zone: 'Pare-brise', note: 'Impact de 3 mm hors champ de vision du conducteur.' },
		{ zone: 'Siège conducteur', note: 'Usure normale de l’assise, sans déchirure.' }
	],
	en: [
		{ zone: 'Front bumper', note: '5 cm scratch on the left side, through the paint.' },
		{ zone: 'Rear right wheel', note: '10 cm kerb scuff.' },
		{ zone: 'Windscreen', note: '3 mm chip outside the driver’s field of view.' },
		{ zone: 'Driver’s seat', note: 'Normal wear of the cushion, no tear.' }
	]
};

const place = (issuer: Issuer) => `${issuer.name}, ${issuer.addressLine}, ${issuer.postcode} ${issuer.city}`;

/** A sample document of `kind`, dated `today`, carrying the site's details and the edited texts. */
export function sampleDocument({ kind, locale, issuer, siteCode, today, texts }: SampleInput): DocumentModel {
	const year = today.slice(0, 4);
	const t = (words: Words) => words[locale];
	const base = { kind, locale, issuer, issuedOn: today, texts };
	const lastMonth = monthOf(addDays({ date: `${today.slice(0, 7)}-01`, count: -1 }));
	const period = `${lastMonth.start} → ${lastMonth.end}`;

	switch (kind) {
		case 'invoice': {
			const lines = monthOfWork(locale);
			return {
				...base,
				recipient: RENTAL_COMPANY,
				number: `F-${siteCode}-${year}-00042`,
				dueOn: addDays({ date: today, count: 30 }),
				reference: period,
				lines,
				totals: invoiceTotals(lines),
				notes: t({ fr: 'Bon de commande client : PO-LA-2026-0318.', en: 'Customer purchase order: PO-LA-2026-0318.' })
			};
		}
		case 'credit_note': {
			const lines = priced(
				[
					{
						text: { fr: 'Lavage extérieur et intérieur, facturé deux fois', en: 'Exterior and interior wash, billed twice' },
						detail: detail(VEHICLES.polo),
						unitPriceCents: 3_900
					},
					{ text: { fr: 'Gardiennage non dû (véhicule sorti le 12)', en: 'Storage not due (vehicle left on the 12th)' }, detail: '1 × 18', quantity: 18, unitPriceCents: 450 }
				],
				locale
			);
			return {
				...base,
				recipient: RENTAL_COMPANY,
				number: `AV-${siteCode}-${year}-00003`,
				creditsNumber: `F-${siteCode}-${year}-00042`,
				reference: period,
				lines,
				totals: invoiceTotals(lines)
			};
		}
		case 'delivery_report':
			return {
				...base,
				recipient: RENTAL_COMPANY,
				number: `PVL-${siteCode}-${year}-0217`,
				reference: `CMD-${siteCode}-${year}-0142`,
				vehicles: [VEHICLES.clio, VEHICLES.polo, VEHICLES.e208],
				damages: [
					{
						zone: `${VEHICLES.clio.plate} · ${t({ fr: 'Pare-chocs arrière', en: 'Rear bumper' })}`,
						note: t({ fr: 'Rayure superficielle de 4 cm, déjà relevée à l’enlèvement.', en: 'Light 4 cm scratch, already noted at pick-up.' })
					}
				],
				notes: t({
					fr: 'Véhicules remis sur le parking visiteurs ; clés et cartes grises remises à l’accueil contre signature.',
					en: 'Vehicles left in the visitors’ car park; keys and registration papers handed to reception against signature.'
				})
			};
		case 'inspection_report':
			return {
				...base,
				recipient: RENTAL_COMPANY,
				number: `EDL-${siteCode}-${year}-1184`,
				reference: t({ fr: 'Retour de location, contrat LA-558120', en: 'Rental return, agreement LA-558120' }),
				vehicles: [VEHICLES.model3],
				damages: inspectionDamages[locale],
				notes: t({
					fr: 'Câble de recharge Type 2 et kit anti-crevaison présents. Carnet d’entretien à jour.',
					en: 'Type 2 charging cable and tyre repair kit present. Service book up to date.'
				})
			};
		case 'transfer_note':
			return {
				...base,
				recipient: { name: 'Concession Villeurbanne Nord', addressLines: ['8 avenue Roger Salengro', '69100 Villeurbanne'] },
				number: `BT-${siteCode}-${year}-0087`,
				reference: `TR-${siteCode}-${year}-0087`,
				vehicles: [VEHICLES.clio, VEHICLES.c3, VEHICLES.e208, VEHICLES.polo],
				route: {
					from: place(issuer),
					to: 'Concession Villeurbanne Nord, 8 avenue Roger Salengro, 69100 Villeurbanne',
					driver: 'Karim Benali'
				},
				notes: t({ fr: 'Départ prévu à 8 h 30, porte-voitures 4 places.', en: 'Departure planned at 8:30, 4-car transporter.' })
			};
		case 'purchase_order': {
			const lines = carSale(locale);
			return {
				...base,
				recipient: PRIVATE_BUYER,
				number: `BC-${siteCode}-${year}-0031`,
				dueOn: addDays({ date: today, count: 21 }),
				reference: t({ fr: 'Livraison prévue sous 3 semaines', en: 'Delivery expected within 3 weeks' }),
				lines,
				totals: invoiceTotals(lines),
				vehicles: [VEHICLES.p3008],
				discountNote: t({ fr: 'Remise commerciale accordée sur le véhicule.', en: 'Trade discount granted on the vehicle.' }),
				notes: t({ fr: 'Acompte de 3 000,00 € versé à la commande.', en: 'Deposit of €3,000.00 paid with the order.' })
			};
		}
		case 'sale_invoice': {
			const lines = carSale(locale);
			return {
				...base,
				recipient: PRIVATE_BUYER,
				number: `FV-${siteCode}-${year}-00017`,
				dueOn: today,
				reference: `BC-${siteCode}-${year}-0031`,
				lines,
				totals: invoiceTotals(lines),
				vehicles: [{ ...VEHICLES.p3008, plate: 'GN-318-VX' }],
				discountNote: t({ fr: 'Remise commerciale accordée sur le véhicule.', en: 'Trade discount granted on the vehicle.' }),
				notes: t({ fr: 'Acompte de 3 000,00 € déjà versé, à déduire.', en: 'Deposit of €3,000.00 already paid, to be deducted.' })
			};
		}
	}
}
