/*
 * AdmitOne service worker: keeps the buyer's ticket pages usable offline (venues often have no signal).
 * - Ticket and order pages: network first, the saved copy when offline.
 * - Build assets (/_next/static, immutable): cache first.
 * - Signing out clears everything saved, so the next person on this device sees nothing.
 * Nothing else is intercepted.
 */
const CACHE = 'admitone-tickets-v1';
const PAGES = /^\/(tickets|orders)(\/[\w-]+)?\/?$/;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('admitone-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type !== 'save' || !Array.isArray(data.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const urls = data.urls.filter((u) => typeof u === 'string').slice(0, 200);
      await Promise.all(
        urls.map(async (u) => {
          const url = new URL(u, self.location.origin);
          if (url.origin !== self.location.origin) return;
          if (!(PAGES.test(url.pathname) || url.pathname.startsWith('/_next/static/'))) return;
          if (url.pathname.startsWith('/_next/static/') && (await cache.match(url.href))) return;
          try {
            const response = await fetch(url.href, { credentials: 'same-origin' });
            if (response.ok && !response.redirected) await cache.put(url.href, response);
          } catch {
            // offline right now: what was saved before stays
          }
        }),
      );
      if (event.source) event.source.postMessage({ type: 'saved' });
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/sign-out') {
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (request.method !== 'GET') return;

  if (url.pathname.startsWith('/_next/static/')) {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const hit = await cache.match(request);
        if (hit) return hit;
        const response = await fetch(request);
        if (response.ok) cache.put(request, response.clone());
        return response;
      }),
    );
    return;
  }

  if (request.mode === 'navigate' && PAGES.test(url.pathname)) {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const response = await fetch(request);
          // A redirect (to sign in) or an error page is not a ticket: keep the saved copy.
          if (response.ok && !response.redirected) await cache.put(url.pathname, response.clone());
          return response;
        } catch {
          const saved = await cache.match(url.pathname);
          if (saved) return saved;
          return new Response(
            '<!doctype html><meta name="viewport" content="width=device-width"><title>Offline</title><body style="font-family:system-ui;padding:2rem"><h1>You are offline</h1><p>This page was not saved on this device. Tickets you opened before are available offline.</p>',
            { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
          );
        }
      })(),
    );
  }
});
