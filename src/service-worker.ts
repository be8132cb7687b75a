/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

/**
 * The installed app on a yard phone. It keeps the app's own files, so the app opens without a
 * network; keeps the last copy of each screen (page, data, code) the person opened, used only
 * when the network is down (everything else is fetched first, so nobody reads stale data while
 * online); and receives web pushes. Form posts are never touched: the offline outbox
 * (src/lib/offline) queues them. Signing out forgets the kept screens.
 */
const sw = self as unknown as ServiceWorkerGlobalScope;

const ASSETS = `assets-${version}`;
const SEEN = 'seen';
const precached = new Set([...build, ...files]);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(ASSETS)
			.then((cache) => cache.addAll([...precached]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((key) => key !== ASSETS && key !== SEEN).map((key) => caches.delete(key))))
			.then(() => sw.clients.claim())
	);
});

/** Network first; the last good answer when the network is down. */
async function networkFirst(request: Request): Promise<Response> {
	const cache = await caches.open(SEEN);
	try {
		const response = await fetch(request);
		if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
		return response;
	} catch (err) {
		const kept = await cache.match(request);
		if (kept) return kept;
		if (request.mode !== 'navigate') throw err;
		return new Response(OFFLINE_PAGE, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
	}
}

/** Files (authorised per request, possibly large) and the live channel are never kept. */
const neverKept = (url: URL) => url.pathname.startsWith('/files/') || url.pathname.startsWith('/socket.io/');

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (request.method === 'POST' && url.pathname === '/logout') {
		event.waitUntil(caches.delete(SEEN));
		return;
	}
	if (request.method !== 'GET') return;
	if (precached.has(url.pathname)) {
		event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(request)));
	} else if (!neverKept(url) && !request.headers.has('range')) {
		event.respondWith(networkFirst(request));
	}
});

sw.addEventListener('push', (event) => {
	const data = event.data ? event.data.json() : {};
	event.waitUntil(
		sw.registration.showNotification(data.title || 'Relais', {
			body: data.body || '',
			icon: '/icons/icon-192.png',
			data: { link: typeof data.link === 'string' && data.link.startsWith('/') ? data.link : '/' }
		})
	);
});

sw.addEventListener('notificationclick', (event) => {
	event.notification.close();
	event.waitUntil(sw.clients.openWindow(event.notification.data.link));
});

// Both languages: the worker does not know the person's.
const OFFLINE_PAGE = `<!doctype html><html lang="fr"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relais · Hors ligne</title>
<body style="font-family: system-ui, sans-serif; margin: 0; padding: 2rem 1.25rem; background: #f8fafc; color: #0f172a">
<h1 style="font-size: 1.25rem">Hors ligne</h1>
<p>Cette page n’a pas encore été ouverte sur ce téléphone. Elle s’affichera au retour du réseau.</p>
<h2 style="font-size: 1.125rem; margin-top: 2rem" lang="en">Offline</h2>
<p lang="en">This page has not been opened on this phone yet. It will show when the network is back.</p>
<p><a href="/today" style="color: #2f5bd3">Relais</a></p>
</body></html>`;
