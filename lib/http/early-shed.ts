import type http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { env } from '@/lib/env';
import { AppError, toProblem } from '@/lib/errors';
import { metrics } from '@/lib/observability/metrics';
import type { HotRoute } from './hot-routes';

/**
 * Load shedding before any work, in the production server (lib/http/node-server.ts), for the hot routes marked
 * `shed` in lib/http/hot-routes.ts:
 * - 'shop' routes (holds, checkout) beyond what the route's shedder could run or queue (SHED_MAX_IN_FLIGHT +
 *   SHED_MAX_WAITING per route and process) are answered 503 + Retry-After at once. The route's LoadShedder
 *   (lib/http/load-shedder.ts) still decides about those let through; this only makes refusing the excess cheap, so
 *   a CPU-bound process spends its time on the requests it serves (bench/chaos/overload.ts).
 * - 'poll' routes (the waiting room's status) are answered 503 + Retry-After while the event loop lags more than
 *   SHED_POLL_LAG_MS: a long line polling one process must not starve the shoppers it already let in. Someone in line
 *   loses nothing but a fresher position (admission happens in the coordinator, not in the poll).
 */

/** Seconds a shed poll is asked to wait: the line moves slowly for whoever is far enough back to be polling. */
export const POLL_RETRY_AFTER_S = 10;

const shedEarly = metrics.counter(
  'admitone_load_shed_early_total',
  'Requests answered 503 before routing because their route was full, by route',
  ['route'],
);
const lagGauge = metrics.gauge(
  'admitone_event_loop_lag_ms',
  'Event-loop lag of this process over the last half second (mean loop turn beyond the timer resolution)',
);

export type EarlyShedOptions = {
  /** The event-loop lag in ms (default: measured with monitorEventLoopDelay, every 500 ms). */
  eventLoopLag?: () => number;
  shopLimit?: number;
  pollLagMs?: number;
};

export type EarlyShedding = {
  /** Counts the request in (true), or answers it with 503 and returns false. */
  admit(route: HotRoute, res: http.ServerResponse): boolean;
};

const problem = (detail: string, retryAfter: number) =>
  JSON.stringify(toProblem(new AppError('SERVICE_UNAVAILABLE', detail, { retryAfter, reason: 'overloaded' })));

export function earlyShedding(options: EarlyShedOptions = {}): EarlyShedding {
  const e = env();
  const shopLimit = options.shopLimit ?? (e.SHED_MAX_IN_FLIGHT ? e.SHED_MAX_IN_FLIGHT + e.SHED_MAX_WAITING : 0);
  const pollLagMs = options.pollLagMs ?? e.SHED_POLL_LAG_MS;
  const lag = pollLagMs ? (options.eventLoopLag ?? measuredLag()) : () => 0;
  // Refusing is the one thing this process does for most requests under overload, so its cost is what the requests it
  // serves lose (bench/chaos/overload.ts): the answer's headers are a prebuilt flat list and its counter's series is picked once.
  const refusal = (route: string, detail: string, retryAfter: number) => {
    const body = problem(detail, retryAfter);
    const headers = [
      'content-type',
      'application/problem+json',
      'cache-control',
      'no-store',
      'retry-after',
      String(retryAfter),
      'content-length',
      String(Buffer.byteLength(body)),
    ];
    const counter = shedEarly.labels({ route });
    return (res: http.ServerResponse) => {
      counter.inc();
      res.writeHead(503, headers);
      res.end(body);
      return false;
    };
  };
  const polls = new Map<string, (res: http.ServerResponse) => boolean>();
  const pools = new Map<string, { running: number; refuse: (res: http.ServerResponse) => boolean }>();
  return {
    admit(route, res) {
      if (route.shed === 'poll') {
        if (!pollLagMs || lag() <= pollLagMs) return true;
        let refuse = polls.get(route.name);
        if (!refuse)
          polls.set(
            route.name,
            (refuse = refusal(
              route.name,
              `The waiting room is busy. Your place is kept; checking again in ${POLL_RETRY_AFTER_S} s.`,
              POLL_RETRY_AFTER_S,
            )),
          );
        return refuse(res);
      }
      if (route.shed !== 'shop' || !shopLimit) return true;
      let pool = pools.get(route.name);
      if (!pool)
        pools.set(
          route.name,
          (pool = { running: 0, refuse: refusal(route.name, 'The server is busy. Try again in 1 s.', 1) }),
        );
      if (pool.running >= shopLimit) return pool.refuse(res);
      pool.running++;
      let done = false;
      const end = () => {
        if (done) return;
        done = true;
        pool.running--;
      };
      res.once('finish', end);
      res.once('close', end);
      return true;
    },
  };
}

/** Mean event-loop turn beyond the timer's resolution, over the last 500 ms (0 while the process keeps up). */
function measuredLag(): () => number {
  const resolutionMs = 20;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  let lag = 0;
  const timer = setInterval(() => {
    lag = histogram.count ? Math.max(0, histogram.mean / 1e6 - resolutionMs) : 0;
    lagGauge.set({}, Math.round(lag));
    histogram.reset();
  }, 500);
  timer.unref();
  return () => lag;
}
