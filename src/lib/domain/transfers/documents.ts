/** A driver's compliance documents: the kinds, which are mandatory, and their names. */
export const documentKinds = ['licence', 'id_card', 'insurance', 'professional_card'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** Without a valid one of each, a driver cannot be assigned (private.driver_compliance). */
export const mandatoryDocuments: readonly DocumentKind[] = ['licence', 'id_card', 'insurance'];

/** How many days ahead a document counts as expiring (the first alert's threshold). */
export const EXPIRING_WITHIN_DAYS = 30;

type Locale = 'fr' | 'en';

// `feminine` agrees the French participles ("pièce d'identité expirée", "permis manquant").
const names: Record<DocumentKind, { fr: string; en: string; feminine: boolean }> = {
	licence: { fr: 'permis de conduire', en: 'driving licence', feminine: false },
	id_card: { fr: "pièce d'identité", en: 'ID card', feminine: true },
	insurance: { fr: 'assurance', en: 'insurance', feminine: true },
	professional_card: { fr: 'carte professionnelle', en: 'professional card', feminine: true }
};

/** Kinds named in the reader's language, e.g. "driving licence, insurance"; unknown kinds as they are. */
export function documentList(kinds: readonly string[], locale: Locale): string {
	return kinds.map((k) => (k in names ? names[k as DocumentKind][locale] : k)).join(', ');
}

export interface DocumentOnFile {
	kind: DocumentKind;
	/** ISO day; null when the document does not expire. */
	expiresOn: string | null;
}

export interface Compliance {
	/** Mandatory kinds with no document on file. */
	missing: DocumentKind[];
	/** Kinds whose latest document expired before `today` (mandatory ones block assignment). */
	expired: { kind: DocumentKind; expiresOn: string }[];
	/** Kinds valid today but expiring within EXPIRING_WITHIN_DAYS (0: expires today). */
	expiring: { kind: DocumentKind; expiresOn: string; days: number }[];
	/** No mandatory document missing or expired: the database lets the driver be assigned. */
	assignable: boolean;
}

const dayNumber = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/**
 * A driver's standing on `today` (an ISO day in Paris), by the rule of private.driver_compliance:
 * a document is valid through its expiry day, and a kind counts by its longest-running document.
 */
export function complianceOf(documents: readonly DocumentOnFile[], today: string): Compliance {
	const best = new Map<DocumentKind, string | null>();
	for (const d of documents) {
		const current = best.get(d.kind);
		if (current === undefined || (current !== null && (d.expiresOn === null || d.expiresOn > current))) best.set(d.kind, d.expiresOn);
	}
	const missing = mandatoryDocuments.filter((k) => !best.has(k));
	const expired: Compliance['expired'] = [];
	const expiring: Compliance['expiring'] = [];
	for (const kind of documentKinds) {
		const expiresOn = best.get(kind);
		if (!expiresOn) continue;
		const days = dayNumber(expiresOn) - dayNumber(today);
		if (days < 0) expired.push({ kind, expiresOn });
		else if (days <= EXPIRING_WITHIN_DAYS) expiring.push({ kind, expiresOn, days });
	}
	const assignable = missing.length === 0 && !expired.some((e) => mandatoryDocuments.includes(e.kind));
	return { missing, expired, expiring, assignable };
}

/** An ISO day as the reader writes it ("12 nov. 2026", "12 Nov 2026"). */
export function formatIsoDay(iso: string, locale: Locale): string {
	return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
		new Date(dayNumber(iso) * 86_400_000)
	);
}

/**
 * Why a driver cannot be assigned, in the reader's language ("Cannot be assigned: driving
 * licence expired on 12 Nov 2026; ID card missing."), or null when they can.
 */
export function assignmentBlock(compliance: Compliance, locale: Locale): string | null {
	if (compliance.assignable) return null;
	const fr = locale === 'fr';
	const reasons = [
		...compliance.expired
			.filter((e) => mandatoryDocuments.includes(e.kind))
			.map((e) => {
				const n = names[e.kind];
				return fr ? `${n.fr} expiré${n.feminine ? 'e' : ''} le ${formatIsoDay(e.expiresOn, locale)}` : `${n.en} expired on ${formatIsoDay(e.expiresOn, locale)}`;
			}),
		...compliance.missing.map((k) => (fr ? `${names[k].fr} manquant${names[k].feminine ? 'e' : ''}` : `${names[k].en} missing`))
	];
	return fr ? `Ne peut pas être affecté : ${reasons.join(' ; ')}.` : `Cannot be assigned: ${reasons.join('; ')}.`;
}
