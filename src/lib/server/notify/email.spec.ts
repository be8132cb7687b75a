import { describe, expect, it } from 'vitest';
import { renderEmail } from './email';

const job = { locale: 'fr' as const, fullName: 'Inès <Laurent>', title: 'Réponse à « Rayure »', body: 'Bonjour,\nC’est réparé.', link: '/portal/threads/42' };

describe('notification emails', () => {
	it('speak the recipient’s language and link into the app with its origin', () => {
		const fr = renderEmail(job, 'https://relais.example');
		expect(fr.subject).toBe('Réponse à « Rayure »');
		expect(fr.text).toContain('Ouvrir dans Relais : https://relais.example/portal/threads/42');
		expect(fr.html).toContain('lang="fr"');
		const en = renderEmail({ ...job, locale: 'en' }, 'https://relais.example');
		expect(en.text).toContain('Open in Relais : https://relais.example/portal/threads/42');
		expect(en.text).toContain('Manage my notifications');
	});

	it('escape what people typed in the HTML part', () => {
		const { html } = renderEmail({ ...job, body: '<script>alert(1)</script>' }, 'https://relais.example');
		expect(html).not.toContain('<script>');
		expect(html).toContain('&lt;script&gt;');
		expect(html).toContain('Inès &lt;Laurent&gt;');
	});

	it('never turn a link into another site', () => {
		for (const link of ['/\\evil.example', '//evil.example/x', 'https://evil.example/']) {
			const { text } = renderEmail({ ...job, link }, 'https://relais.example');
			expect(text, link).toContain('Ouvrir dans Relais : https://relais.example/\n');
		}
	});
});
