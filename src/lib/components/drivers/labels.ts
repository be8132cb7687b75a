import { m } from '$lib/paraglide/messages';
import { formatDay } from '$lib/components/format';
import { mandatoryDocuments, type Compliance, type DocumentKind } from '$lib/domain/transfers/documents';

/** A document kind in the reader's language. */
export const documentKindLabel: Record<DocumentKind, () => string> = {
	licence: m.drivers_kind_licence,
	id_card: m.drivers_kind_id_card,
	insurance: m.drivers_kind_insurance,
	professional_card: m.drivers_kind_professional_card
};

export const longDay = (iso: string) => formatDay(iso, { day: 'numeric', month: 'short', year: 'numeric' });

/** What is wrong or coming up, one short line per document, worst first ('bad' blocks assignment). */
export function complianceNotes(c: Compliance): { text: string; tone: 'bad' | 'warn' }[] {
	return [
		...c.missing.map((kind) => ({ text: m.drivers_note_missing({ document: documentKindLabel[kind]() }), tone: 'bad' as const })),
		...c.expired.map((e) => ({
			text: m.drivers_note_expired({ document: documentKindLabel[e.kind](), date: longDay(e.expiresOn) }),
			tone: mandatoryDocuments.includes(e.kind) ? ('bad' as const) : ('warn' as const)
		})),
		...c.expiring.map((e) => ({
			text:
				e.days === 0
					? m.drivers_note_expires_today({ document: documentKindLabel[e.kind]() })
					: m.drivers_note_expiring({ document: documentKindLabel[e.kind](), date: longDay(e.expiresOn), days: e.days }),
			tone: 'warn' as const
		}))
	];
}
