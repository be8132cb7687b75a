// Production entry: one Node process serves SvelteKit (adapter-node's handler) and socket.io on
// the same HTTP server. The realtime bundle is built from src/lib/server/realtime by
// scripts/build-server.js; it boots the database first (embedded Postgres without DATABASE_URL).
import http from 'node:http';
import { ensureDatabase, startRealtime } from './build/realtime.js';

await ensureDatabase();
// A message carries up to five 10 MB files; adapter-node refuses bodies over 512 KB unless told.
process.env.BODY_SIZE_LIMIT ??= '52M';
const { handler } = await import('./build/handler.js');

const server = http.createServer(handler);
const realtime = await startRealtime(server);

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
server.listen(port, host, () => console.log(`Relais listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`));

let closing = false;
async function shutdown(signal) {
	if (closing) return;
	closing = true;
	console.log(`${signal}: closing`);
	await realtime.close();
	server.closeAllConnections();
	server.close(() => process.exit(0));
	setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
