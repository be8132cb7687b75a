import { mergeConfig } from 'vite';
import base from '../../vite.config';

/**
 * The app's own Vite config, held still for end-to-end runs: no file watching and no hot
 * reload (someone editing the tree must not reload the pages under test), and a dependency
 * cache of its own (another dev server re-bundling dependencies must not break this one).
 */
export default mergeConfig(base, {
	cacheDir: 'node_modules/.vite-e2e',
	server: { hmr: false, watch: null }
});
