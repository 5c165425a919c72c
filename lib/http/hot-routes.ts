/**
 * The hot routes: the requests an on-sale is made of. One table, read by the production server (it hands these
 * paths to their handlers before Next routes the request, scripts/server.ts), by the early load shedding there, by
 * the tests of deploy/nginx.conf (whose per-route connection limits must cover exactly the `shed` routes), and by the
 * integration tests that run each hot route through both paths.
 *
 * Each entry names a handler exported by a route module under app/api: under `next dev` or a serverless host the
 * same handler runs as an ordinary Next route handler. Pure data and a matcher: no imports, so anything may read it.
 */
export type HotRoute = {
  /** The route's name in metrics and logs (the same name its `route()` wrapper uses). */
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path segments; ':id' is a parameter. */
  path: string;
  /** The route module under app/ and the export that handles `method`. */
  module: string;
  /**
   * 'shop': refused with 503 before any work beyond SHED_MAX_IN_FLIGHT + SHED_MAX_WAITING requests running in this
   * process (deploy/nginx.conf refuses beyond the same budget first). 'poll': refused with 503 + Retry-After while
   * the event loop lags more than SHED_POLL_LAG_MS.
   */
  shed?: 'shop' | 'poll';
  /** Only in builds made for benchmarks (its module is a `.bench.ts` file, next.config.js). */
  bench?: true;
};

export const HOT_ROUTES: readonly HotRoute[] = [
  {
    name: 'holds.create',
    method: 'POST',
    path: '/api/events/:id/holds',
    module: 'app/api/events/[id]/holds/route.ts',
    shed: 'shop',
  },
  {
    name: 'events.availability',
    method: 'GET',
    path: '/api/events/:id/availability',
    module: 'app/api/events/[id]/availability/route.ts',
  },
  { name: 'queue.join', method: 'POST', path: '/api/events/:id/queue', module: 'app/api/events/[id]/queue/route.ts' },
  {
    name: 'queue.status',
    method: 'GET',
    path: '/api/events/:id/queue',
    module: 'app/api/events/[id]/queue/route.ts',
    shed: 'poll',
  },
  {
    name: 'queue.leave',
    method: 'DELETE',
    path: '/api/events/:id/queue',
    module: 'app/api/events/[id]/queue/route.ts',
  },
  { name: 'holds.release', method: 'DELETE', path: '/api/holds/:id', module: 'app/api/holds/[id]/route.ts' },
  { name: 'checkout.create', method: 'POST', path: '/api/checkout', module: 'app/api/checkout/route.ts', shed: 'shop' },
  {
    name: 'bench.noop',
    method: 'GET',
    path: '/api/bench/noop',
    module: 'app/api/bench/noop/route.bench.ts',
    bench: true,
  },
];

export type HotMatch = { route: HotRoute; params: Record<string, string> };

type Node = {
  children: Map<string, Node>;
  param?: { name: string; node: Node };
  routes: Partial<Record<HotRoute['method'], HotRoute>>;
};
const node = (): Node => ({ children: new Map(), routes: {} });

/** A matcher over the table: segment by segment, literal segments before parameters. */
export function hotRouteMatcher(
  routes: readonly HotRoute[] = HOT_ROUTES,
): (method: string, pathname: string) => HotMatch | null {
  const root = node();
  for (const route of routes) {
    let at = root;
    for (const segment of route.path.split('/').slice(1)) {
      if (segment.startsWith(':')) {
        at.param ??= { name: segment.slice(1), node: node() };
        at = at.param.node;
      } else {
        at = at.children.get(segment) ?? at.children.set(segment, node()).get(segment)!;
      }
    }
    at.routes[route.method] = route;
  }
  return (method, pathname) => {
    if (pathname.charCodeAt(0) !== 47 /* / */) return null;
    let at = root;
    let params: Record<string, string> | undefined;
    let start = 1;
    for (;;) {
      const end = pathname.indexOf('/', start);
      const segment = end < 0 ? pathname.slice(start) : pathname.slice(start, end);
      // An empty segment ('//', or a trailing '/') is Next's to answer (it redirects or 404s); so is anything odd.
      if (segment === '') return null;
      const literal = at.children.get(segment);
      if (literal) at = literal;
      else if (at.param) {
        let value: string;
        try {
          value = decodeURIComponent(segment);
        } catch {
          return null;
        }
        (params ??= {})[at.param.name] = value;
        at = at.param.node;
      } else return null;
      if (end < 0) break;
      start = end + 1;
    }
    const route = at.routes[method as HotRoute['method']];
    return route ? { route, params: params ?? {} } : null;
  };
}

/** The shed routes as nginx location patterns (what deploy/nginx.conf must limit), e.g. `^/api/checkout/?$`. */
export function shopRoutePatterns(routes: readonly HotRoute[] = HOT_ROUTES): string[] {
  return routes.filter((r) => r.shed === 'shop').map((r) => `^${r.path.replace(/:[a-z]+/g, '[^/]+')}/?$`);
}
