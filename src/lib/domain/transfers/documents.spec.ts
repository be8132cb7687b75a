import { describe, expect, it } from 'vitest';
import { assignmentBlock, complianceOf, documentList } from './documents';

describe('documentList', () => {
	it('names kinds in the reader’s language, keeping unknown ones', () => {
		expect(documentList(['licence', 'insurance'], 'en')).toBe('driving licence, insurance');
		expect(documentList(['id_card'], 'fr')).toBe("pièce d'identité");
		expect(documentList(['other'], 'fr')).toBe('other');
	});
});

describe('complianceOf', () => {
	const today = '2026-12-03';

	it('lets a driver with every mandatory document valid today be assigned, a document valid through its last day', () => {
		const c = complianceOf(
			[
				{ kind: 'licence', expiresOn: null },
				{ kind: 'id_card', expiresOn: '2030-01-01' },
				{ kind: 'insurance', expiresOn: today }
			],
			today
		);
		expect(c).toEqual({ missing: [], expired: [], expiring: [{ kind: 'insurance', expiresOn: today, days: 0 }], assignable: true });
	});

	it('blocks on a missing or expired mandatory document, not on an expired optional one', () => {
		const c = complianceOf(
			[
				{ kind: 'licence', expiresOn: '2026-12-02' },
				{ kind: 'insurance', expiresOn: '2027-01-02' },
				{ kind: 'professional_card', expiresOn: '2026-11-21' }
			],
			today
		);
		expect(c.missing).toEqual(['id_card']);
		expect(c.expired.map((e) => e.kind)).toEqual(['licence', 'professional_card']);
		expect(c.expiring).toEqual([{ kind: 'insurance', expiresOn: '2027-01-02', days: 30 }]);
		expect(c.assignable).toBe(false);
		expect(complianceOf([{ kind: 'licence', expiresOn: null }, { kind: 'id_card', expiresOn: null }, { kind: 'insurance', expiresOn: null }, { kind: 'professional_card', expiresOn: '2020-01-01' }], today).assignable).toBe(true);
	});

	it('counts a kind by its longest-running document, as a renewal replaces the old one', () => {
		const c = complianceOf(
			[
				{ kind: 'licence', expiresOn: '2026-01-01' },
				{ kind: 'licence', expiresOn: '2031-01-01' },
				{ kind: 'id_card', expiresOn: '2031-01-01' },
				{ kind: 'insurance', expiresOn: '2031-01-01' }
			],
			today
		);
		expect(c.expired).toEqual([]);
		expect(c.assignable).toBe(true);
	});
});

describe('assignmentBlock', () => {
	const c = complianceOf([{ kind: 'licence', expiresOn: '2026-11-12' }, { kind: 'insurance', expiresOn: '2027-06-01' }], '2026-12-03');

	it('says why in French, with agreement, and in English', () => {
		expect(assignmentBlock(c, 'fr')).toBe("Ne peut pas être affecté : permis de conduire expiré le 12 nov. 2026 ; pièce d'identité manquante.");
		expect(assignmentBlock(c, 'en')).toBe('Cannot be assigned: driving licence expired on 12 Nov 2026; ID card missing.');
	});

	it('says nothing for an assignable driver', () => {
		expect(assignmentBlock(complianceOf([{ kind: 'licence', expiresOn: null }, { kind: 'id_card', expiresOn: null }, { kind: 'insurance', expiresOn: null }], '2026-12-03'), 'en')).toBeNull();
	});
});
