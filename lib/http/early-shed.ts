import http from 'node:http';
import { env } from '@/lib/env';
import { AppError, toProblem } from '@/lib/errors';
import { metrics } from '@/lib/observability/metrics';

/**
 * Load shedding before Next.js: holds and checkout requests beyond what the route's shedder could run or queue
 * (SHED_MAX_IN_FLIGHT + SHED_MAX_WAITING per route and process) are answered 503 + Retry-After straight from the
 * Node HTTP server, before any routing. The route's LoadShedder (lib/http/load-shedder.ts) still decides about those
 * let through; this only makes refusing the excess cheap, so a CPU-bound process spends its time on the requests it
 * serves (bench/chaos/overload.ts: refused requests used to wait seconds behind Next's per-request work).
 */
const PATHS: [pool: string, pattern: RegExp][] = [
  ['holds.create', /^\/api\/events\/[^/?]+\/holds\/?(\?|$)/],
  ['checkout.create', /^\/api\/checkout\/?(\?|$)/],
];

const shedEarly = metrics.counter('admitone_load_shed_early_total', 'Requests answered 503 before routing because their route was full, by route');

export function installEarlyShedding(server: typeof http.Server = http.Server): void {
  const e = env();
  if (!e.SHED_MAX_IN_FLIGHT) return;
  const limit = e.SHED_MAX_IN_FLIGHT + e.SHED_MAX_WAITING;
  const holder = server.prototype as { __admitoneEarlyShed?: boolean; emit: (event: string, ...args: unknown[]) => boolean };
  if (holder.__admitoneEarlyShed) return;
  holder.__admitoneEarlyShed = true;
  const inFlight = new Map<string, number>(PATHS.map(([pool]) => [pool, 0]));
  const body = JSON.stringify(toProblem(new AppError('SERVICE_UNAVAILABLE', 'The server is busy. Try again in 1 s.', { retryAfter: 1, reason: 'overloaded' })));
  const emit = holder.emit;
  holder.emit = function (this: http.Server, event: string, ...args: unknown[]): boolean {
    if (event === 'request') {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      const pool = req.method === 'POST' ? PATHS.find(([, pattern]) => pattern.test(req.url ?? ''))?.[0] : undefined;
      if (pool) {
        const running = inFlight.get(pool)!;
        if (running >= limit) {
          shedEarly.inc({ route: pool });
          res.writeHead(503, { 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'retry-after': '1', 'content-length': Buffer.byteLength(body) });
          res.end(body);
          return true;
        }
        inFlight.set(pool, running + 1);
        let done = false;
        const end = () => {
          if (done) return;
          done = true;
          inFlight.set(pool, inFlight.get(pool)! - 1);
        };
        res.once('finish', end);
        res.once('close', end);
      }
    }
    return emit.call(this, event, ...args);
  };
}
