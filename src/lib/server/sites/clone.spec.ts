import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { validate } from '$lib/validation';
import { cloneSchema } from './clone';

const form = {
	sourceSiteId: 'd0000000-0000-4000-a001-000000000004',
	code: ' con-ann ',
	name: 'Relais Auto Annecy',
	kind: 'dealership',
	legalName: 'Relais Automobiles Savoie SAS',
	siret: '845 123 654 00017',
	vatNumber: 'fr45 845123654',
	shareCapitalEur: '60000',
	addressLine: '12 avenue de Genève',
	postcode: '74000',
	city: 'Annecy',
	latitude: '45.9065',
	longitude: '6.1287',
	timezone: 'Europe/Paris',
	capacity: '60',
	parts: ['catalogue', 'yard']
};

describe('the new site form', () => {
	it('takes legal numbers as people type them: spaces, lower case', () => {
		const parsed = validate(cloneSchema, form, 'en');
		expect(parsed).toMatchObject({ ok: true, data: { code: 'CON-ANN', siret: '84512365400017', vatNumber: 'FR45845123654', shareCapitalEur: 60000 } });
	});

	it('names each wrong field with what is expected, in the reader’s language', () => {
		const bad = { ...form, code: 'x', siret: '1234', vatNumber: 'DE123456789', timezone: 'Mars/Olympus', name: '', parts: ['vehicles'] };
		const parsed = validate(cloneSchema, bad, 'fr');
		if (parsed.ok) throw new Error('accepted');
		expect(Object.keys(parsed.errors).sort()).toEqual(['code', 'name', 'parts.0', 'siret', 'timezone', 'vatNumber']);
		expect(parsed.errors.siret).toEqual([m.site_cl_siret_invalid()]);
		expect(parsed.errors.vatNumber).toEqual([m.site_cl_vat_invalid()]);
		// Zod's own French for the rest.
		expect(parsed.errors.name[0]).toMatch(/trop petit|caractère/i);
	});
});
