/**
 * The things one server process has exactly one of, and the only place their `globalThis` slot is named.
 *
 * Why `globalThis` at all: the production server runs Next's compiled bundles and, in the same process, the hot
 * routes loaded from source by tsx (docs/decisions/019-hot-routes-and-the-change-feed.md), and Next's route bundles
 * can each carry their own copy of a module. Module state would then exist once per copy: two database pools, two
 * breakers that each learn of a Redis outage on their own, a revoked session still cached in the other copy. What
 * must be one per process is kept here, under one `__admitone` slot; everything else is passed as an explicit deps
 * object built at the edge (lib/<domain>/deps.ts) or is plain module state (a cache whose copies cannot disagree).
 *
 * No imports, nothing but Web APIs: the Edge bundle (lib/http/response-body.ts, through lib/errors.ts) reads it too.
 */
export type ProcessSingleton =
  /** The PostgreSQL pool, or the one PGlite instance (db/client.ts). */
  | 'db'
  /** The connection to the coordination store and the ports built on it (lib/coordination/index.ts). */
  | 'coordinator'
  /** That connection's circuit breaker: one view of whether Redis answers (lib/inventory/deps.ts). */
  | 'coordinatorBreaker'
  /** The per-instance rate-limit fallback: a second copy would double every budget (lib/ratelimit). */
  | 'localLimiter'
  /** The payment provider and where its late results go (lib/checkout/get-payment-provider.ts). */
  | 'payments'
  /** The mail transport (lib/notifications/email-sender.ts). */
  | 'emailSender'
  /** The auth library's instance, built on the pool (lib/auth/auth.server.ts). */
  | 'auth'
  /** Sessions already checked, which a revocation must clear wherever it happens (lib/auth/viewer.ts). */
  | 'viewers'
  /** Revoked sessions and the last sync with the database (lib/auth/session-revocation.ts). */
  | 'revocations'
  /** The logger and its output stream (lib/observability/log.ts). */
  | 'log'
  /** The Prometheus registry: one set of series per process (lib/observability/metrics.ts). */
  | 'metrics'
  /** The request's and the connection's async context (lib/observability/request-context.ts, lib/http). */
  | 'requestContext'
  | 'connectionContext'
  /** The load shedders: one CPU budget per process (lib/http/load-shedder.ts). */
  | 'shedders'
  /** The background jobs' timers: started once per process (lib/jobs/scheduler.ts). */
  | 'jobs'
  /** Sale rules, which an organizer's edit must invalidate in every copy (lib/inventory/sale-rules.ts). */
  | 'saleRules'
  /** Layouts, availability snapshots and their live watchers: large, built once (lib/inventory). */
  | 'layouts'
  | 'availability'
  | 'availabilitySettled'
  | 'availabilityAsked'
  | 'availabilityWatches'
  /** Recent hold outcomes, the dashboard's figures (lib/inventory/metrics.ts). */
  | 'holdOutcomes'
  /** Funnel steps counted since the last flush: page views, waiting-room joins, admissions (lib/analytics). */
  | 'funnelCounts'
  /** Queues this instance served lately, noted by the hot routes and read by the queue tick (lib/queue). */
  | 'activeQueues'
  /** The search caches, with the catalogue version they were built at (lib/catalog/catalog-reads.ts). */
  | 'catalogCaches'
  /** The demo seed's progress, written by the server script and read by pages (db/seed/status.ts). */
  | 'demoSeed'
  /**
   * The waitlist's runs per event and its wake switch: a freeing route in Next's graph wakes the runs the server
   * script's jobs enabled (lib/waitlist/).
   */
  | 'waitlistRuns'
  | 'waitlistWake';

type Slots = Partial<Record<ProcessSingleton, unknown>>;
const slots: Slots = ((globalThis as { __admitone?: Slots }).__admitone ??= {});

/**
 * The process's one `name`, made by `create` the first time any copy of the module graph asks. Keep what it returns
 * (a Map, a box `{ current?: T }` for something replaceable): later calls return the same object.
 */
export function processSingleton<T>(name: ProcessSingleton, create: () => T): T {
  if (!(name in slots)) slots[name] = create();
  return slots[name] as T;
}

/** The process's one `name` if something made it already; for readers that must not create it (the Edge bundle). */
export function peekProcessSingleton<T>(name: ProcessSingleton): T | undefined {
  return slots[name] as T | undefined;
}
