/**
 * Which origins may send state-changing requests (CSRF), for the route wrapper (lib/http/route.ts) and for server
 * actions and form posts to pages (middleware.ts). Web APIs only: the Edge middleware imports it.
 * docs/decisions/020-same-origin-requests.md explains the rule.
 */

/** Methods that change nothing; everything else must come from our own origin. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The app's own origin (APP_URL), plus, when that is a loopback address, the same port under the other loopback
 * names: a developer's browser may open http://127.0.0.1:3000 for an app configured as http://localhost:3000, and
 * whatever answers on that exact port is this app. Another port of the same host is another origin.
 */
export function allowedOrigins(appUrl: string): ReadonlySet<string> {
  const url = new URL(appUrl);
  const origins = new Set([url.origin]);
  if (LOOPBACK_HOSTS.has(url.hostname)) {
    const port = url.port ? `:${url.port}` : '';
    for (const host of LOOPBACK_HOSTS) origins.add(`${url.protocol}//${host}${port}`);
  }
  return origins;
}

/**
 * Why a state-changing request must be refused as cross-origin, or null when it may go on:
 * - `Origin` present (every current browser sends it on every non-GET request, forms included): it must be ours;
 *   `Origin: null` (sandboxed frames, some redirects) is never ours.
 * - No `Origin`, but `Sec-Fetch-Site`: only `same-origin` or `none` (typed by the user) pass.
 * - Neither: not a browser (curl, a server, a mobile client). It cannot be made to send someone else's cookies, so it
 *   is no CSRF vector, and it goes on to be authenticated like any request.
 * O(1): two header reads and a set lookup.
 */
export function crossOriginRefusal(headers: Headers, allowed: ReadonlySet<string>): string | null {
  const origin = headers.get('origin');
  if (origin !== null) return allowed.has(origin) ? null : CROSS_ORIGIN;
  const site = headers.get('sec-fetch-site');
  if (site === null || site === 'same-origin' || site === 'none') return null;
  return CROSS_ORIGIN;
}

const CROSS_ORIGIN = 'This request came from another site or origin, so it was refused. Use the app itself.';

/**
 * For server actions and form posts to pages, after `crossOriginRefusal` let the request through: Next compares the
 * `Origin`'s host with `X-Forwarded-Host` (else `Host`) itself and, when they differ, aborts the action with a 500 and
 * an error line in the log. An `Origin` that is one of ours on a request addressed to another host (a script that
 * sends `Origin: http://localhost:3000` to 127.0.0.1:3000, or a proxy that rewrites `Host`) is refused here instead,
 * with the same 403, by the same comparison Next makes.
 */
export function hostMismatchRefusal(headers: Headers): string | null {
  const origin = headers.get('origin');
  if (origin === null) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return CROSS_ORIGIN;
  }
  const host = headers.get('x-forwarded-host')?.split(',')[0]?.trim() || headers.get('host');
  return host === originHost ? null : CROSS_ORIGIN;
}
