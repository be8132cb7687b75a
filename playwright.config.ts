import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end suite: a real app with its OWN embedded database (DATA_DIR=.data/e2e on its own
 * port), booted fresh for every run. First boot runs initdb, migrations and the demo seed.
 */
const PORT = 4173;
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '*.e2e.ts',
	globalSetup: './tests/e2e/global-setup.ts',
	// The tests share one database and change it: one at a time keeps them independent.
	workers: 1,
	fullyParallel: false,
	forbidOnly: Boolean(process.env.CI),
	retries: 0,
	timeout: 90_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		locale: 'fr-FR',
		timezoneId: 'Europe/Paris',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		// The app's service worker keeps a copy of every response for offline use, which on the dev
		// server (hundreds of modules per page) slows every test; offline.e2e.ts turns it on.
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
		// The production path is `npm run build && node server.js`; the dev server serves the same
		// app and live channel (see vite.config.ts) without a build step, here without file
		// watching or hot reload (tests/e2e/vite.config.ts).
		command: `npx vite dev --config tests/e2e/vite.config.ts --port ${PORT} --strictPort`,
		url: `http://127.0.0.1:${PORT}/health`,
		reuseExistingServer: false,
		timeout: 180_000,
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
