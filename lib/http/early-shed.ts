import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { env } from '@/lib/env';
import { AppError, toProblem } from '@/lib/errors';
import { metrics } from '@/lib/observability/metrics';

/**
 * Load shedding before Next.js, in the Node HTTP server itself (installed by instrumentation.ts):
 * - Holds and checkout requests beyond what the route's shedder could run or queue (SHED_MAX_IN_FLIGHT +
 *   SHED_MAX_WAITING per route and process) are answered 503 + Retry-After before any routing. The route's
 *   LoadShedder (lib/http/load-shedder.ts) still decides about those let through; this only makes refusing the excess
 *   cheap, so a CPU-bound process spends its time on the requests it serves (bench/chaos/overload.ts: refused
 *   requests used to wait seconds behind Next's per-request work).
 * - Waiting-room polls (GET /api/events/{id}/queue) are answered 503 + Retry-After while the event loop lags more
 *   than SHED_POLL_LAG_MS: a long line polling one process must not starve the shoppers it already let in. Someone
 *   in line loses nothing but a fresher position (admission happens in the coordinator, not in the poll); joining,
 *   leaving and admitted shoppers are never refused here.
 */
const PATHS: [pool: string, pattern: RegExp][] = [
  ['holds.create', /^\/api\/events\/[^/?]+\/holds\/?(\?|$)/],
  ['checkout.create', /^\/api\/checkout\/?(\?|$)/],
];
const QUEUE_POLL = /^\/api\/events\/[^/?]+\/queue\/?(\?|$)/;
/** Seconds a shed poll is asked to wait: the line moves slowly for whoever is far enough back to be polling. */
export const POLL_RETRY_AFTER_S = 10;

const shedEarly = metrics.counter('admitone_load_shed_early_total', 'Requests answered 503 before routing because their route was full, by route');
const lagGauge = metrics.gauge('admitone_event_loop_lag_ms', 'Event-loop lag of this process over the last half second (mean loop turn beyond the timer resolution)');

export type EarlyShedOptions = {
  /** The event-loop lag in ms (default: measured with monitorEventLoopDelay, every 500 ms). */
  eventLoopLag?: () => number;
};

const problem = (detail: string, retryAfter: number) => JSON.stringify(toProblem(new AppError('SERVICE_UNAVAILABLE', detail, { retryAfter, reason: 'overloaded' })));

export function installEarlyShedding(server: typeof http.Server = http.Server, options: EarlyShedOptions = {}): void {
  const e = env();
  const shopLimit = e.SHED_MAX_IN_FLIGHT ? e.SHED_MAX_IN_FLIGHT + e.SHED_MAX_WAITING : 0;
  const pollLagMs = e.SHED_POLL_LAG_MS;
  if (!shopLimit && !pollLagMs) return;
  const holder = server.prototype as { __admitoneEarlyShed?: boolean; emit: (event: string, ...args: unknown[]) => boolean };
  if (holder.__admitoneEarlyShed) return;
  holder.__admitoneEarlyShed = true;
  const lag = pollLagMs ? (options.eventLoopLag ?? measuredLag()) : () => 0;
  // Refusing is the one thing this process does for most requests under overload, so its cost is what the requests it
  // serves lose (bench/chaos/overload.ts): the answer's headers are a prebuilt flat list and its counter is bound.
  const refusal = (route: string, detail: string, retryAfter: number) => {
    const body = problem(detail, retryAfter);
    const headers = ['content-type', 'application/problem+json', 'cache-control', 'no-store', 'retry-after', String(retryAfter), 'content-length', String(Buffer.byteLength(body))];
    const count = shedEarly.bind({ route });
    return (res: http.ServerResponse) => {
      count();
      res.writeHead(503, headers);
      res.end(body);
      return true;
    };
  };
  const refusePoll = refusal('queue.status', `The waiting room is busy. Your place is kept; checking again in ${POLL_RETRY_AFTER_S} s.`, POLL_RETRY_AFTER_S);
  const pools = PATHS.map(([name, pattern]) => ({ pattern, running: 0, refuse: refusal(name, 'The server is busy. Try again in 1 s.', 1) }));
  const emit = holder.emit;
  holder.emit = function (this: http.Server, event: string, ...args: unknown[]): boolean {
    if (event === 'request') {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      if (pollLagMs && lag() > pollLagMs && req.method === 'GET' && QUEUE_POLL.test(req.url ?? '')) return refusePoll(res);
      const pool = shopLimit && req.method === 'POST' ? pools.find((p) => p.pattern.test(req.url ?? '')) : undefined;
      if (pool) {
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
      }
    }
    return emit.call(this, event, ...args);
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
