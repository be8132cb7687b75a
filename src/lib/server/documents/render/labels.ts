import type { DocumentKind, Locale } from '../model';

/**
 * The fixed words of the layout (column heads, captions). Unlike `TemplateTexts`, admins do not
 * edit them: they name what the document structurally contains.
 */
export interface Labels {
	draft: string;
	number: string;
	issuedOn: string;
	reportDate: string;
	dueOn: string;
	reference: string;
	credits: string;
	customer: string;
	consignee: string;
	vatNumber: string;
	columns: { description: string; quantity: string; unitPrice: string; discount: string; vat: string; net: string };
	totals: { net: string; vatOn: (rate: string, base: string) => string; vat: string; gross: string };
	vehicles: string;
	vehicleColumns: { plate: string; vin: string; makeModel: string; mileage: string; energy: string };
	damages: string;
	damageColumns: { zone: string; note: string };
	noDamage: string;
	photos: string;
	photo: (n: number) => string;
	unreadablePhoto: string;
	route: { from: string; to: string; driver: string };
	notes: string;
	paymentTerms: string;
	signatureHint: string;
	continued: string;
	page: (n: number, of: number) => string;
	capital: (legalForm: string, amount: string) => string;
	siret: string;
	vat: string;
}

const fr: Labels = {
	draft: 'BROUILLON',
	number: 'N°',
	issuedOn: 'Date d’émission',
	reportDate: 'Date',
	dueOn: 'Échéance',
	reference: 'Référence',
	credits: 'Facture d’origine',
	customer: 'Client',
	consignee: 'Destinataire',
	vatNumber: 'N° TVA',
	columns: { description: 'Désignation', quantity: 'Qté', unitPrice: 'P.U. HT', discount: 'Remise', vat: 'TVA', net: 'Total HT' },
	totals: { net: 'Total HT', vatOn: (rate, base) => `TVA ${rate} sur ${base}`, vat: 'Total TVA', gross: 'Total TTC' },
	vehicles: 'Véhicules',
	vehicleColumns: { plate: 'Immatriculation', vin: 'VIN', makeModel: 'Marque / modèle', mileage: 'Kilométrage', energy: 'Énergie' },
	damages: 'Dommages constatés',
	damageColumns: { zone: 'Zone', note: 'Constat' },
	noDamage: 'Aucun dommage constaté.',
	photos: 'Photos',
	photo: (n) => `Photo ${n}`,
	unreadablePhoto: 'Image illisible',
	route: { from: 'Départ', to: 'Arrivée', driver: 'Chauffeur' },
	notes: 'Observations',
	paymentTerms: 'Conditions de paiement',
	signatureHint: 'Nom, date et signature',
	continued: 'suite',
	page: (n, of) => `Page ${n} / ${of}`,
	capital: (legalForm, amount) => `${legalForm} au capital de ${amount}`,
	siret: 'SIRET',
	vat: 'TVA intracommunautaire'
};

const en: Labels = {
	draft: 'DRAFT',
	number: 'No.',
	issuedOn: 'Issue date',
	reportDate: 'Date',
	dueOn: 'Due date',
	reference: 'Reference',
	credits: 'Original invoice',
	customer: 'Customer',
	consignee: 'Consignee',
	vatNumber: 'VAT no.',
	columns: { description: 'Description', quantity: 'Qty', unitPrice: 'Unit price', discount: 'Discount', vat: 'VAT', net: 'Net' },
	totals: { net: 'Total excl. VAT', vatOn: (rate, base) => `VAT ${rate} on ${base}`, vat: 'Total VAT', gross: 'Total incl. VAT' },
	vehicles: 'Vehicles',
	vehicleColumns: { plate: 'Plate', vin: 'VIN', makeModel: 'Make / model', mileage: 'Mileage', energy: 'Energy' },
	damages: 'Damage noted',
	damageColumns: { zone: 'Area', note: 'Finding' },
	noDamage: 'No damage noted.',
	photos: 'Photos',
	photo: (n) => `Photo ${n}`,
	unreadablePhoto: 'Unreadable image',
	route: { from: 'From', to: 'To', driver: 'Driver' },
	notes: 'Remarks',
	paymentTerms: 'Payment terms',
	signatureHint: 'Name, date and signature',
	continued: 'continued',
	page: (n, of) => `Page ${n} / ${of}`,
	capital: (legalForm, amount) => `${legalForm} with a share capital of ${amount}`,
	siret: 'SIRET',
	vat: 'VAT no.'
};

export const LABELS: Record<Locale, Labels> = { fr, en };

/** Who signs at the bottom of the kinds that are signed, left then right. */
export const SIGNATORIES: Partial<Record<DocumentKind, Record<Locale, [string, string]>>> = {
	delivery_report: { fr: ['Le livreur', 'Le client, à réception'], en: ['Delivered by', 'Received by the customer'] },
	inspection_report: { fr: ['L’opérateur', 'Le client'], en: ['Operator', 'Customer'] },
	transfer_note: { fr: ['Le chauffeur', 'Le destinataire'], en: ['Driver', 'Consignee'] },
	purchase_order: { fr: ['Le vendeur', 'Le client, « bon pour commande »'], en: ['Seller', 'Customer, “accepted and ordered”'] }
};
