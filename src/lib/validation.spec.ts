import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validate } from './validation';

const schema = z.object({ email: z.email(), items: z.array(z.object({ qty: z.number().min(1) })) });

describe('validate', () => {
	it('returns the parsed data when the input is valid', () => {
		expect(validate(schema, { email: 'a@b.fr', items: [{ qty: 2 }] }, 'fr')).toEqual({
			ok: true,
			data: { email: 'a@b.fr', items: [{ qty: 2 }] }
		});
	});

	it('reports each bad field by its path, in French or English', () => {
		const fr = validate(schema, { email: 'nope', items: [{ qty: 0 }] }, 'fr');
		const en = validate(schema, { email: 'nope', items: [{ qty: 0 }] }, 'en');
		expect(fr.ok || en.ok).toBe(false);
		if (fr.ok || en.ok) return;
		expect(Object.keys(fr.errors).sort()).toEqual(['email', 'items.0.qty']);
		expect(fr.errors.email[0]).toMatch(/invalide/);
		expect(en.errors.email[0]).toMatch(/invalid/i);
		expect(fr.errors['items.0.qty'][0]).not.toEqual(en.errors['items.0.qty'][0]);
	});
});
