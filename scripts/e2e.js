#!/usr/bin/env node
// Runs the Playwright suite when a usable Chromium exists, otherwise says how to get one.
// Arguments are passed on to `playwright test` (e.g. `node scripts/e2e.js tests/e2e/auth.e2e.ts`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

function findChromium() {
	const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_PATH;
	if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
	if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
	try {
		const own = chromium.executablePath();
		if (own && existsSync(own)) return own;
	} catch {
		// Playwright has no browser of its own for this platform.
	}
	return null;
}

const browser = findChromium();
if (!browser) {
	const wanted = process.env.PLAYWRIGHT_CHROMIUM_PATH;
	console.error(
		[
			wanted ? `PLAYWRIGHT_CHROMIUM_PATH is set to ${wanted}, but no browser is there.` : 'No usable Chromium found for the end-to-end tests.',
			'Get one in any of these ways, then run `node scripts/e2e.js` again:',
			'  1. Debian/Ubuntu:        apt-get install chromium',
			"  2. Playwright's own:     npx playwright install chromium",
			'  3. A browser you have:   PLAYWRIGHT_CHROMIUM_PATH=/path/to/chromium node scripts/e2e.js'
		].join('\n')
	);
	process.exit(1);
}

const bin = path.resolve('node_modules', '.bin', process.platform === 'win32' ? 'playwright.cmd' : 'playwright');
const [command, args] = existsSync(bin) ? [bin, ['test']] : ['npx', ['playwright', 'test']];
const result = spawnSync(command, [...args, ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: { ...process.env, PLAYWRIGHT_CHROMIUM_PATH: browser }
});
process.exit(result.status ?? 1);
