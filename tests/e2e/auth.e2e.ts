import { expect, test } from '@playwright/test';
import { waitUntilReady } from './support';

test.describe('sign-in', () => {
	test('an unauthenticated visit to /today goes to the sign-in page', async ({ page }) => {
		await page.goto('/today');
		await expect(page).toHaveURL(/\/login\?next=%2Ftoday$/);
		await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
	});

	test('a wrong password and an unknown email get the same generic error', async ({ page }) => {
		await page.goto('/login');
		await page.locator('#email').fill('operateur@relais.demo');
		await page.locator('#password').fill('not-the-password');
		await page.locator('form button[type="submit"]').click();
		const formError = page.locator('[data-form-error]');
		await expect(formError).toHaveText('E-mail ou mot de passe incorrect.');
		// What was typed stays, the password does not leak into the page.
		await expect(page.locator('#email')).toHaveValue('operateur@relais.demo');

		await page.locator('#email').fill('personne@relais.demo');
		await page.locator('#password').fill('not-the-password');
		await page.locator('form button[type="submit"]').click();
		await expect(formError).toHaveText('E-mail ou mot de passe incorrect.');
		await expect(page).toHaveURL(/\/login/);
	});

	test('empty fields get field errors in French, then in English after switching', async ({ page }) => {
		await page.goto('/login');
		await page.locator('form button[type="submit"]').click();

		const emailError = page.locator('#email-error');
		const passwordError = page.locator('#password-error');
		await expect(emailError).toHaveText('Saisissez une adresse e-mail valide.');
		await expect(passwordError).toHaveText('Saisissez votre mot de passe.');
		await expect(page.locator('#email')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.locator('#email')).toHaveAttribute('aria-describedby', 'email-error');

		await waitUntilReady(page);
		await page.getByRole('button', { name: 'English' }).click();
		await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await page.locator('form button[type="submit"]').click();
		await expect(emailError).toHaveText('Enter a valid email address.');
		await expect(passwordError).toHaveText('Enter your password.');
	});
});
