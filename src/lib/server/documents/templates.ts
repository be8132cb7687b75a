import { DOCUMENT_KINDS, type DocumentKind, type Locale, type TemplateTexts } from './model';

/**
 * Default wording of every document, per kind and locale. An admin may override any field per
 * site (see `TEMPLATE_FIELDS`); what they leave blank falls back to these texts, so a document is
 * never printed without its mandatory mentions by accident.
 */

type Texts = Required<TemplateTexts>;

/**
 * Mandatory on invoices between professionals (art. L441-9, L441-10 and D441-5 of the Code de
 * commerce): the late-payment penalty rate, the €40 recovery indemnity and the early-payment
 * discount terms, here "none".
 */
const LATE_PAYMENT = {
	fr:
		"Pas d'escompte pour paiement anticipé. Tout retard de paiement entraîne de plein droit, dès le lendemain de la date d'échéance, " +
		"des pénalités calculées au taux d'intérêt appliqué par la Banque centrale européenne à son opération de refinancement la plus récente, " +
		'majoré de 10 points de pourcentage, ainsi qu’une indemnité forfaitaire pour frais de recouvrement de 40 € ' +
		'(art. L441-10 et D441-5 du Code de commerce).',
	en:
		'No discount for early payment. Any late payment automatically incurs, from the day after the due date, ' +
		"penalties at the European Central Bank's most recent refinancing rate plus 10 percentage points, " +
		'together with a fixed indemnity of €40 for recovery costs (articles L441-10 and D441-5 of the French Commercial Code).'
} as const;

/** Printed in the footer before the share capital: "<legal name>, <footer> au capital de …". */
const LEGAL_FORM = { fr: 'société par actions simplifiée', en: 'simplified joint-stock company (SAS)' } as const;

const DEFAULTS: Record<DocumentKind, Record<Locale, Texts>> = {
	invoice: {
		fr: {
			title: 'Facture',
			intro: 'Prestations logistiques réalisées pour votre compte, selon le détail ci-dessous.',
			paymentTerms: 'Paiement par virement bancaire à réception de la facture, au plus tard à la date d’échéance indiquée.',
			legalMentions: LATE_PAYMENT.fr,
			footer: LEGAL_FORM.fr
		},
		en: {
			title: 'Invoice',
			intro: 'Logistics services performed on your behalf, as detailed below.',
			paymentTerms: 'Payment by bank transfer upon receipt of this invoice and no later than the due date stated.',
			legalMentions: LATE_PAYMENT.en,
			footer: LEGAL_FORM.en
		}
	},
	credit_note: {
		fr: {
			title: 'Avoir',
			intro: 'Avoir émis en régularisation de la facture d’origine référencée ci-dessus.',
			paymentTerms: 'Le montant de cet avoir sera remboursé par virement bancaire sous 30 jours ou déduit de votre prochaine facture, à votre convenance.',
			legalMentions: LATE_PAYMENT.fr,
			footer: LEGAL_FORM.fr
		},
		en: {
			title: 'Credit note',
			intro: 'Credit note issued to correct the original invoice referenced above.',
			paymentTerms: 'The amount of this credit note will be refunded by bank transfer within 30 days or deducted from your next invoice, as you prefer.',
			legalMentions: LATE_PAYMENT.en,
			footer: LEGAL_FORM.en
		}
	},
	delivery_report: {
		fr: {
			title: 'Procès-verbal de livraison',
			intro: 'Le client reconnaît avoir reçu le ou les véhicules désignés ci-dessous, dans l’état décrit au présent procès-verbal.',
			paymentTerms: '',
			legalMentions:
				'Toute réserve doit être portée sur le présent procès-verbal au moment de la livraison, puis confirmée au transporteur par lettre ' +
				'recommandée dans les trois jours qui suivent la réception (art. L133-3 du Code de commerce). À défaut de réserve, les véhicules ' +
				'sont réputés livrés conformes et en bon état apparent.',
			footer: LEGAL_FORM.fr
		},
		en: {
			title: 'Delivery report',
			intro: 'The customer acknowledges receipt of the vehicle(s) listed below, in the condition described in this report.',
			paymentTerms: '',
			legalMentions:
				'Any reservation must be written on this report at delivery and confirmed to the carrier by registered letter within three days ' +
				'of receipt (article L133-3 of the French Commercial Code). Without reservation, the vehicles are deemed delivered as ordered ' +
				'and in good apparent condition.',
			footer: LEGAL_FORM.en
		}
	},
	inspection_report: {
		fr: {
			title: 'État des lieux du véhicule',
			intro: 'Constat contradictoire de l’état du véhicule, établi en présence des deux parties à la date indiquée.',
			paymentTerms: '',
			legalMentions:
				'Le présent état des lieux décrit l’état apparent du véhicule au moment du constat ; il ne couvre pas les défauts qui n’étaient ' +
				'pas visibles à cette occasion. Établi en deux exemplaires, un pour chacune des parties.',
			footer: LEGAL_FORM.fr
		},
		en: {
			title: 'Vehicle inspection report',
			intro: 'Joint record of the vehicle’s condition, drawn up in the presence of both parties on the date stated.',
			paymentTerms: '',
			legalMentions:
				'This report describes the apparent condition of the vehicle at the time of inspection; it does not cover defects that were ' +
				'not visible then. Drawn up in two copies, one for each party.',
			footer: LEGAL_FORM.en
		}
	},
	transfer_note: {
		fr: {
			title: 'Bon de livraison de transfert',
			intro: 'Transfert de véhicules entre sites, remis au destinataire selon le trajet indiqué ci-dessous.',
			paymentTerms: '',
			legalMentions:
				'Le destinataire vérifie les véhicules à leur arrivée et consigne toute réserve sur le présent bon avant de le signer. ' +
				'Les kilométrages et niveaux d’énergie relevés au départ font foi.',
			footer: LEGAL_FORM.fr
		},
		en: {
			title: 'Transfer delivery note',
			intro: 'Vehicle transfer between sites, handed over to the consignee along the route below.',
			paymentTerms: '',
			legalMentions:
				'The consignee checks the vehicles on arrival and writes any reservation on this note before signing it. ' +
				'Mileage and energy levels recorded at departure are authoritative.',
			footer: LEGAL_FORM.en
		}
	},
	purchase_order: {
		fr: {
			title: 'Bon de commande',
			intro: 'Le client commande les véhicules et prestations désignés ci-dessous, aux prix et conditions indiqués.',
			paymentTerms: 'Solde payable à la livraison, par virement bancaire ou chèque de banque.',
			legalMentions:
				'La commande devient ferme à sa signature par le client et à son acceptation par le vendeur. Le vendeur conserve la propriété ' +
				'des véhicules jusqu’au paiement intégral du prix (clause de réserve de propriété, art. 2367 du Code civil). Le client reconnaît ' +
				'avoir pris connaissance des conditions générales de vente jointes.',
			footer: LEGAL_FORM.fr
		},
		en: {
			title: 'Purchase order',
			intro: 'The customer orders the vehicles and services listed below, at the prices and on the terms stated.',
			paymentTerms: 'Balance payable on delivery, by bank transfer or banker’s draft.',
			legalMentions:
				'The order becomes binding once signed by the customer and accepted by the seller. The seller retains title to the vehicles ' +
				'until the price is paid in full (retention of title, article 2367 of the French Civil Code). The customer acknowledges having ' +
				'read the attached general terms of sale.',
			footer: LEGAL_FORM.en
		}
	},
	sale_invoice: {
		fr: {
			title: 'Facture de vente',
			intro: 'Vente du ou des véhicules désignés ci-dessous.',
			paymentTerms: 'Prix payable comptant à la livraison, par virement bancaire ou chèque de banque.',
			legalMentions:
				"Pas d'escompte pour paiement anticipé. En cas de retard de paiement, pénalités au taux de refinancement le plus récent de la " +
				'Banque centrale européenne majoré de 10 points de pourcentage et, pour les clients professionnels, indemnité forfaitaire pour ' +
				'frais de recouvrement de 40 € (art. L441-10 et D441-5 du Code de commerce). Le transfert de propriété n’intervient qu’au ' +
				'paiement intégral du prix.',
			footer: LEGAL_FORM.fr
		},
		en: {
			title: 'Sales invoice',
			intro: 'Sale of the vehicle(s) listed below.',
			paymentTerms: 'Price payable in full on delivery, by bank transfer or banker’s draft.',
			legalMentions:
				'No discount for early payment. Any late payment incurs penalties at the European Central Bank’s most recent refinancing rate ' +
				'plus 10 percentage points and, for business customers, a fixed indemnity of €40 for recovery costs (articles L441-10 and ' +
				'D441-5 of the French Commercial Code). Title passes only once the price has been paid in full.',
			footer: LEGAL_FORM.en
		}
	}
};

export function defaultTexts(kind: DocumentKind, locale: Locale): Texts {
	return { ...DEFAULTS[kind][locale] };
}

/** The admin's texts over the defaults; a field left blank (or only spaces) keeps the default. */
export function mergeTexts(kind: DocumentKind, locale: Locale, overrides: TemplateTexts): Texts {
	const merged = defaultTexts(kind, locale);
	for (const field of TEMPLATE_FIELDS) {
		const value = overrides[field.key]?.trim();
		if (value) merged[field.key] = value;
	}
	return merged;
}

export interface TemplateField {
	key: keyof TemplateTexts;
	label: Record<Locale, string>;
	hint: Record<Locale, string>;
	multiline: boolean;
	maxLength: number;
	/** The kinds that print this field; the admin form hides it for the others. */
	kinds: readonly DocumentKind[];
}

const PRICED_KINDS: readonly DocumentKind[] = ['invoice', 'credit_note', 'purchase_order', 'sale_invoice'];

/** The editable fields of a template, in form order. */
export const TEMPLATE_FIELDS: readonly TemplateField[] = [
	{
		key: 'title',
		label: { fr: 'Titre du document', en: 'Document title' },
		hint: { fr: 'Imprimé en tête, au-dessus du numéro.', en: 'Printed at the top, above the number.' },
		multiline: false,
		maxLength: 80,
		kinds: DOCUMENT_KINDS
	},
	{
		key: 'intro',
		label: { fr: 'Introduction', en: 'Introduction' },
		hint: { fr: 'Une ou deux phrases sous l’en-tête.', en: 'One or two sentences under the header.' },
		multiline: true,
		maxLength: 600,
		kinds: DOCUMENT_KINDS
	},
	{
		key: 'paymentTerms',
		label: { fr: 'Conditions de paiement', en: 'Payment terms' },
		hint: { fr: 'Délai et moyens de paiement acceptés.', en: 'Payment period and accepted means of payment.' },
		multiline: true,
		maxLength: 600,
		kinds: PRICED_KINDS
	},
	{
		key: 'legalMentions',
		label: { fr: 'Mentions légales', en: 'Legal mentions' },
		hint: {
			fr: 'Sur les factures et avoirs : pénalités de retard, indemnité forfaitaire de 40 €, escompte.',
			en: 'On invoices and credit notes: late-payment penalties, the €40 fixed indemnity, early-payment discount.'
		},
		multiline: true,
		maxLength: 2000,
		kinds: DOCUMENT_KINDS
	},
	{
		key: 'footer',
		label: { fr: 'Forme juridique (pied de page)', en: 'Legal form (footer)' },
		hint: {
			fr: 'Imprimée après la raison sociale, avant le capital : « société par actions simplifiée ».',
			en: 'Printed after the legal name, before the share capital: “simplified joint-stock company (SAS)”.'
		},
		multiline: false,
		maxLength: 120,
		kinds: DOCUMENT_KINDS
	}
];
