// Web push for Relais notifications (registered by /settings/notifications only when a person
// turns push on in this browser). It handles pushes and clicks; it never intercepts requests.
self.addEventListener('push', (event) => {
	const data = event.data ? event.data.json() : {};
	event.waitUntil(
		self.registration.showNotification(data.title || 'Relais', {
			body: data.body || '',
			icon: '/favicon.svg',
			data: { link: typeof data.link === 'string' && data.link.startsWith('/') ? data.link : '/' }
		})
	);
});

self.addEventListener('notificationclick', (event) => {
	event.notification.close();
	event.waitUntil(self.clients.openWindow(event.notification.data.link));
});
