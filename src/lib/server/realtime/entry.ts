// What server.js needs from the server-side code that lives outside SvelteKit's bundle.
export { ensureDatabase } from '../boot';
export { startRealtime } from './index';
