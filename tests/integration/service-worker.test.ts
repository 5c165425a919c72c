import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

/**
 * public/sw.js run as a browser would run it, with an in-memory Cache Storage and a network that answers or fails:
 * what it answers itself and what it stores. Issue 18: /scan opens with no network, but the service worker never
 * answers the API (a check-in verdict is always the server's), never stores a signed-in person's page, and forgets
 * everything at sign-out. The browser test (tests/e2e/door-check-in.spec.ts) reloads the scanner offline.
 */
const ORIGIN = 'http://localhost:3000';
const SOURCE = readFileSync(resolve('public/sw.js'), 'utf8');

type FakeRequest = { url: string; method: string; mode: string };
type Fetched = { url: string; credentials?: string };

function worker(network: { online: boolean; pages?: Record<string, string> }) {
  const stores = new Map<string, Map<string, Response>>();
  const key = (r: string | FakeRequest) => new URL(typeof r === 'string' ? r : r.url, ORIGIN).href;
  const open = async (name: string) => {
    if (!stores.has(name)) stores.set(name, new Map());
    const store = stores.get(name)!;
    return {
      match: async (r: string | FakeRequest) => store.get(key(r))?.clone(),
      put: async (r: string | FakeRequest, response: Response) => void store.set(key(r), response),
    };
  };
  const caches = {
    open,
    keys: async () => [...stores.keys()],
    delete: async (name: string) => stores.delete(name),
  };
  const fetched: Fetched[] = [];
  const fetch = async (r: string | FakeRequest, init: { credentials?: string } = {}) => {
    const url = key(r);
    fetched.push({ url, credentials: init.credentials });
    if (!network.online) throw new TypeError('Failed to fetch');
    const path = new URL(url).pathname;
    const body = network.pages?.[path] ?? `asset ${path}`;
    return new Response(body, { status: 200, headers: { 'content-type': 'text/html' } });
  };
  const handlers = new Map<string, (event: unknown) => void>();
  const self = {
    location: { origin: ORIGIN },
    addEventListener: (type: string, handler: (event: unknown) => void) => handlers.set(type, handler),
    skipWaiting: () => undefined,
    clients: { claim: async () => undefined },
  };
  runInNewContext(SOURCE, { self, caches, fetch, Response, URL, Promise, setTimeout, clearTimeout, TypeError });

  /** A fetch event: what the worker answered (undefined when it let the browser go to the network itself). */
  async function request(path: string, { method = 'GET', mode = 'navigate' } = {}) {
    let answer: Promise<Response> | undefined;
    const waits: Promise<unknown>[] = [];
    handlers.get('fetch')!({
      request: { url: `${ORIGIN}${path}`, method, mode },
      respondWith: (r: Promise<Response>) => (answer = Promise.resolve(r)),
      waitUntil: (p: Promise<unknown>) => waits.push(p),
    });
    await Promise.all(waits);
    return answer ? await answer : undefined;
  }
  async function message(data: unknown) {
    const waits: Promise<unknown>[] = [];
    const replies: unknown[] = [];
    handlers.get('message')!({
      data,
      source: { postMessage: (m: unknown) => replies.push(m) },
      waitUntil: (p: Promise<unknown>) => waits.push(p),
    });
    await Promise.all(waits);
    return replies;
  }
  const stored = () => [...stores.values()].flatMap((s) => [...s.keys()]).map((u) => u.slice(ORIGIN.length));
  return { network, request, message, stored, fetched };
}

const SHELL =
  '<html><script src="/_next/static/chunks/main-abc.js"></script><link href="/_next/static/css/app-1.css">' +
  '<script>self.__next_f.push([1,"2:[\\"/_next/static/chunks/scan-9f.js\\"]"])</script></html>';

describe('the service worker and the door scanner', () => {
  it('keeps the scanner shell as an anonymous visitor gets it, with the assets it names and those the page loaded', async () => {
    const sw = worker({ online: true, pages: { '/scan': SHELL } });
    const replies = await sw.message({
      type: 'save-scanner',
      urls: [
        `${ORIGIN}/_next/static/chunks/camera-1.js`,
        'https://elsewhere.test/_next/static/x.js',
        '/api/checkin/list',
      ],
    });
    expect(replies).toEqual([{ type: 'saved', what: 'scanner' }]);
    expect(sw.fetched.find((f) => f.url === `${ORIGIN}/scan`)).toEqual({ url: `${ORIGIN}/scan`, credentials: 'omit' });
    expect(sw.stored().sort()).toEqual([
      '/_next/static/chunks/camera-1.js',
      '/_next/static/chunks/main-abc.js',
      '/_next/static/chunks/scan-9f.js',
      '/_next/static/css/app-1.css',
      '/scan',
    ]);
  });

  it('serves /scan from the network when there is one, without storing it, and the saved shell without one', async () => {
    const sw = worker({ online: true, pages: { '/scan': SHELL } });
    sw.network.pages!['/scan'] = '<html>the staff member’s own page</html>';
    expect(await (await sw.request('/scan'))!.text()).toContain('own page');
    expect(sw.stored()).toEqual([]);

    sw.network.online = false;
    const missing = (await sw.request('/scan'))!;
    expect(missing.status).toBe(503);
    expect(await missing.text()).toContain('The door scanner was not saved on this phone');

    sw.network.online = true;
    sw.network.pages!['/scan'] = SHELL;
    await sw.message({ type: 'save-scanner', urls: [] });
    sw.network.online = false;
    expect(await (await sw.request('/scan?from=home'))!.text()).toBe(SHELL);
  });

  it('never answers the API, online or not, even with a scanner saved', async () => {
    const sw = worker({ online: true, pages: { '/scan': SHELL } });
    await sw.message({ type: 'save-scanner', urls: [] });
    for (const online of [true, false]) {
      sw.network.online = online;
      expect(await sw.request('/api/checkin/scan', { method: 'POST', mode: 'cors' })).toBeUndefined();
      expect(await sw.request('/api/checkin/list?eventId=x', { mode: 'cors' })).toBeUndefined();
      expect(await sw.request('/api/checkin/session', { mode: 'cors' })).toBeUndefined();
    }
    // Nor any other page: only tickets, orders and the scanner.
    expect(await sw.request('/admin/events')).toBeUndefined();
  });

  it('forgets the scanner and everything else at sign-out', async () => {
    const sw = worker({ online: true, pages: { '/scan': SHELL } });
    await sw.message({ type: 'save-scanner', urls: [] });
    expect(sw.stored()).toContain('/scan');
    expect(await sw.request('/sign-out', { method: 'POST' })).toBeUndefined();
    expect(sw.stored()).toEqual([]);
    sw.network.online = false;
    expect((await sw.request('/scan'))!.status).toBe(503);
  });
});
