import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end suite: the production build with its OWN embedded database (DATA_DIR=.data/e2e on
 * its own port). Its first boot runs initdb, migrations and the demo seed; each test arranges
 * the rows it needs, so a kept database serves later runs too.
 */
const PORT = 4173;
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '*.e2e.ts',
	// The tests share one database and change it: one at a time keeps them independent.
	workers: 1,
	fullyParallel: false,
	forbidOnly: Boolean(process.env.CI),
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		locale: 'fr-FR',
		timezoneId: 'Europe/Paris',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		// The app's service worker keeps a copy of every response for offline use; only
		// offline.e2e.ts needs it, and it turns it on.
		serviceWorkers: 'block'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				viewport: { width: 1440, height: 900 },
				launchOptions: {
					executablePath: chromiumPath,
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-quic',
						'--no-first-run',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
						'--use-angle=swiftshader',
						'--enable-unsafe-swiftshader'
					]
				}
			}
		}
	],
	webServer: {
		// The production build, served by server.js (SvelteKit's handler and socket.io on one HTTP
		// server), built from this tree at the start of every run. Without NODE_ENV=production it
		// keeps the development settings the tests rely on: the local SMTP server whose mail they
		// read and the built-in token secret.
		command: 'npm run build && node server.js',
		url: `http://127.0.0.1:${PORT}/health`,
		reuseExistingServer: false,
		timeout: 400_000,
		stdout: 'ignore',
		stderr: 'pipe',
		env: {
			DATA_DIR: '.data/e2e',
			EMBEDDED_PG_PORT: '54341',
			PORT: String(PORT),
			ORIGIN: `http://127.0.0.1:${PORT}`
		}
	}
});
