import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import type { Server } from 'node:http';
import type { Plugin, PreviewServer, ViteDevServer } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Serves socket.io on Vite's own HTTP server in dev and preview, so one process serves the app
 * and the live channel exactly as server.js does in production. The module is loaded through
 * Vite's SSR graph, so it shares the database pool and boot with SvelteKit's hooks.
 */
function realtime(): Plugin {
	const attach = (server: ViteDevServer | PreviewServer, load: () => Promise<Record<string, unknown>>) => {
		const http = server.httpServer as Server | null;
		if (!http) return;
		http.once('listening', async () => {
			const mod = (await load()) as { startRealtime: (s: Server) => Promise<unknown> };
			await mod.startRealtime(http);
		});
	};
	return {
		name: 'relais-realtime',
		configureServer(server) {
			attach(server, () => server.ssrLoadModule('/src/lib/server/realtime/index.ts'));
		},
		configurePreviewServer(server) {
			attach(server, () => import(/* @vite-ignore */ new URL('./build/realtime.js', import.meta.url).href));
		}
	};
}

export default defineConfig({
	plugins: [
		tailwindcss(),
		sveltekit(),
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		realtime()
	],
	server: { port: 5173, host: '127.0.0.1' },
	// Bundled up front: discovered on the first visit of the board, they would reload the page.
	optimizeDeps: { include: ['yjs', 'y-protocols/sync', 'lib0/encoding', 'lib0/decoding', 'svelte-dnd-action', 'fractional-indexing', 'chart.js', 'html-to-image', 'maplibre-gl', 'idb'] },
	test: {
		include: ['src/**/*.spec.ts', 'tests/integration/**/*.test.ts'],
		globalSetup: ['tests/setup/database.ts'],
		setupFiles: ['tests/setup/close-pools.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Integration files share one database; each builds its own organisation fixture.
		fileParallelism: true,
		maxWorkers: 2
	}
});
