import { describe, expect, it } from 'vitest';
import { documentList } from './documents';

describe('documentList', () => {
	it('names kinds in the reader’s language, keeping unknown ones', () => {
		expect(documentList(['licence', 'insurance'], 'en')).toBe('driving licence, insurance');
		expect(documentList(['id_card'], 'fr')).toBe("pièce d'identité");
		expect(documentList(['other'], 'fr')).toBe('other');
	});
});
