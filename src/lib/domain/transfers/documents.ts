/** A driver's compliance documents: the kinds, which are mandatory, and their names. */
export const documentKinds = ['licence', 'id_card', 'insurance', 'professional_card'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** Without a valid one of each, a driver cannot be assigned (private.driver_compliance). */
export const mandatoryDocuments: readonly DocumentKind[] = ['licence', 'id_card', 'insurance'];

const names: Record<DocumentKind, { fr: string; en: string }> = {
	licence: { fr: 'permis de conduire', en: 'driving licence' },
	id_card: { fr: "pièce d'identité", en: 'ID card' },
	insurance: { fr: 'assurance', en: 'insurance' },
	professional_card: { fr: 'carte professionnelle', en: 'professional card' }
};

/** Kinds named in the reader's language, e.g. "driving licence, insurance"; unknown kinds as they are. */
export function documentList(kinds: readonly string[], locale: 'fr' | 'en'): string {
	return kinds.map((k) => (k in names ? names[k as DocumentKind][locale] : k)).join(', ');
}
