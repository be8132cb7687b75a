import type { AccountingInvoice } from './model';

/** An invoice of the Lyon site with two VAT rates and a discount, and a credit note on one line (test fixtures). */
export const invoice: AccountingInvoice = {
	id: '5b0e8f7c-3a51-4c1e-9a39-0f3c2d7e9a10',
	kind: 'invoice',
	number: 'F-LYO-2025-0042',
	issuedOn: '2025-03-14',
	dueOn: '2025-04-13',
	creditsNumber: null,
	site: { code: 'LYO', legalName: 'Relais Lyon SAS' },
	customer: { id: 'c1a2b3c4-0000-4000-8000-000000000001', name: 'Garage du Rhône', email: 'compta@garage-rhone.fr', remoteId: null },
	lines: [
		{ description: 'Convoyage Lyon → Paris', quantity: 2, unitPriceCents: 45000, discountCents: 5000, vatRateBp: 2000, netCents: 85000, vatCents: 17000 },
		{ description: 'Lavage intérieur', quantity: 1, unitPriceCents: 3950, discountCents: 0, vatRateBp: 2000, netCents: 3950, vatCents: 790 },
		{ description: 'Frais de dossier', quantity: 1, unitPriceCents: 1000, discountCents: 0, vatRateBp: 550, netCents: 1000, vatCents: 55 }
	],
	netCents: 89950,
	vatCents: 17845,
	grossCents: 107795
};

export const creditNote: AccountingInvoice = {
	...invoice,
	id: '7d9c1b2a-8e47-4f60-b1d2-3c4e5f607182',
	kind: 'credit_note',
	number: 'A-LYO-2025-0003',
	issuedOn: '2025-03-20',
	dueOn: null,
	creditsNumber: 'F-LYO-2025-0042',
	lines: [{ description: 'Lavage intérieur non réalisé', quantity: 1, unitPriceCents: 3950, discountCents: 0, vatRateBp: 2000, netCents: 3950, vatCents: 790 }],
	netCents: 3950,
	vatCents: 790,
	grossCents: 4740
};
