// Bundles the realtime server (src/lib/server/realtime) for server.js. It runs outside
// SvelteKit's bundle, so it is built on its own; dependencies stay in node_modules.
import { build } from 'esbuild';

await build({
	entryPoints: { realtime: 'src/lib/server/realtime/entry.ts' },
	outdir: 'build',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning'
});
console.log('built build/realtime.js');
