/*
 * AdmitOne service worker: keeps the buyer's ticket pages and the door scanner usable offline (venues often have no
 * signal).
 * - Ticket and order pages: network first, the saved copy when offline.
 * - The door scanner (/scan): the network's page whenever there is one; without a network, a shell saved as an
 *   anonymous visitor gets it (nobody's page: the scanner's state lives in the phone's localStorage, and the page
 *   starts from it). Saved only when a ready scanner asks for it.
 * - Build assets (/_next/static, immutable): cache first.
 * - The API is never answered from here: check-in verdicts, lists and sessions are always the server's own.
 * - Signing out clears everything saved, so the next person on this device sees nothing.
 * Nothing else is intercepted.
 */
const CACHE = 'admitone-tickets-v1';
const PAGES = /^\/(tickets|orders)(\/[\w-]+)?\/?$/;
const SCANNER = '/scan';
/** A venue's Wi-Fi that is connected but goes nowhere: the saved scanner after this long rather than a blank page. */
const SCANNER_WAIT_MS = 4000;
const STATIC_IN_HTML = /\/_next\/static\/[\w\-./~%]+/g;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('admitone-') && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

/** Build assets are immutable (their names carry a hash): fetched once, kept. */
async function saveAssets(cache, urls) {
  await Promise.all(
    urls.map(async (u) => {
      const url = new URL(u, self.location.origin);
      if (url.origin !== self.location.origin || !url.pathname.startsWith('/_next/static/')) return;
      if (await cache.match(url.href)) return;
      try {
        const response = await fetch(url.href, { credentials: 'same-origin' });
        if (response.ok) await cache.put(url.href, response);
      } catch {
        // offline right now: what was saved before stays
      }
    }),
  );
}

/**
 * The scanner's shell, fetched without cookies so it is the page anyone gets (never the signed-in staff member's),
 * and the build assets it names, besides those the page loaded itself (the camera and the QR decoder's chunks).
 */
async function saveScanner(cache, assets) {
  try {
    const response = await fetch(SCANNER, { credentials: 'omit', cache: 'no-store' });
    if (!response.ok || response.redirected) return;
    const html = await response.clone().text();
    await cache.put(SCANNER, response);
    await saveAssets(cache, [...new Set([...(html.match(STATIC_IN_HTML) || []), ...assets])].slice(0, 300));
  } catch {
    // offline right now: the shell saved before stays
  }
}

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (!Array.isArray(data.urls) || (data.type !== 'save' && data.type !== 'save-scanner')) return;
  const urls = data.urls.filter((u) => typeof u === 'string').slice(0, 200);
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      if (data.type === 'save-scanner') {
        await saveScanner(cache, urls);
      } else {
        // Each saved page brings the build assets its HTML names: a page saved from another one (the ticket list,
        // saved from a ticket) has chunks of its own that the page asking never loaded.
        const named = [];
        await Promise.all(
          urls.map(async (u) => {
            const url = new URL(u, self.location.origin);
            if (url.origin !== self.location.origin || !PAGES.test(url.pathname)) return;
            try {
              const response = await fetch(url.href, { credentials: 'same-origin' });
              if (!response.ok || response.redirected) return;
              named.push(...((await response.clone().text()).match(STATIC_IN_HTML) || []));
              await cache.put(url.href, response);
            } catch {
              // offline right now: what was saved before stays
            }
          }),
        );
        await saveAssets(cache, [...new Set([...urls, ...named])].slice(0, 400));
      }
      if (event.source)
        event.source.postMessage({ type: 'saved', what: data.type === 'save-scanner' ? 'scanner' : 'tickets' });
    })(),
  );
});

function offlinePage(text) {
  return new Response(
    `<!doctype html><meta name="viewport" content="width=device-width"><title>Offline</title><body style="font-family:system-ui;padding:2rem"><h1>You are offline</h1><p>${text}</p>`,
    { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
  );
}

/** Online, the server's /scan (not stored: it may be a signed-in person's page); without one, the saved shell. */
async function scannerPage(request) {
  const saved = await (await caches.open(CACHE)).match(SCANNER);
  const network = fetch(request);
  if (!saved) {
    return network.catch(() =>
      offlinePage('The door scanner was not saved on this phone: open it once with a network (paired or signed in).'),
    );
  }
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(saved), SCANNER_WAIT_MS);
  });
  try {
    const response = await Promise.race([network, late]);
    // A server that fails (5xx from a proxy) is no better than no network.
    return response.status >= 500 ? saved : response;
  } catch {
    return saved;
  } finally {
    clearTimeout(timer);
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return;
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

  if (request.mode === 'navigate' && url.pathname === SCANNER) {
    event.respondWith(scannerPage(request));
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
          return offlinePage(
            'This page was not saved on this device. Tickets you opened before are available offline.',
          );
        }
      })(),
    );
  }
});
