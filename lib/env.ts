import { z } from 'zod';
import { parseProxyList } from '@/lib/ratelimit/proxy-list';

/**
 * Typed configuration. The only module that reads process.env.
 * Unset means the embedded default; an invalid value stops the process with a message naming the variable.
 */

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = (protocols: string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .url()
      .refine((value) => protocols.some((p) => value.startsWith(`${p}:`)), {
        message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
      })
      .optional(),
  );
const intIn = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));
const secret = z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional());

const schema = z
  .object({
    NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
    PORT: intIn(1, 65535, 3000),
    APP_URL: optionalUrl(['http', 'https']),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    /** `json` one object a line (for a log collector); `pretty` readable lines. Unset: pretty in a terminal, else JSON. */
    LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['json', 'pretty']).optional()),

    DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
    DATABASE_POOL_MAX: intIn(1, 200, 10),
    ADMITONE_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data')),
    /**
     * A streaming replica of DATABASE_URL (optional): catalog search, event pages and layouts read from it while it
     * answers and lags by at most DATABASE_REPLICA_MAX_LAG_MS; everything else reads the primary (db/client.ts).
     */
    DATABASE_REPLICA_URL: optionalUrl(['postgres', 'postgresql']),
    DATABASE_REPLICA_MAX_LAG_MS: intIn(100, 600_000, 5_000),

    REDIS_URL: optionalUrl(['redis', 'rediss']),
    /**
     * A Redis Cluster instead of one Redis: some of its nodes, comma-separated, each `host:port` or a redis:// or
     * rediss:// URL (credentials and TLS are taken from the first URL that has them); the client finds the rest.
     * Every key of one event shares a hash tag, so each script runs in one slot (docs/decisions/034-redis-cluster.md).
     */
    REDIS_CLUSTER_NODES: optionalString,
    UPSTASH_REDIS_REST_URL: optionalUrl(['http', 'https']),
    UPSTASH_REDIS_REST_TOKEN: optionalString,
    /** How long Redis may take to answer before the circuit breaker counts a failure (its time, not the event loop's). */
    COORDINATOR_TIMEOUT_MS: intIn(5, 10_000, 100),

    /**
     * Proxies whose X-Forwarded-For is believed (addresses or CIDR blocks, comma-separated; default none): the client
     * address of a request from one of them is the right-most hop of that header that is not itself a trusted proxy.
     * From anyone else the socket's address counts (lib/ratelimit/client-ip.ts).
     */
    TRUSTED_PROXIES: optionalString,

    /**
     * Load shedding of holds and checkout, per process and route (lib/http/load-shedder.ts, lib/http/early-shed.ts);
     * 0 turns it off. With these defaults the longest wait stayed under 1.5 s at 5x overload on a 2-core machine
     * and goodput held (docs/bench.md); raise them with DATABASE_POOL_MAX on bigger machines.
     */
    SHED_MAX_IN_FLIGHT: intIn(0, 10_000, 8),
    SHED_MAX_WAITING: intIn(0, 100_000, 16),
    SHED_MAX_WAIT_MS: intIn(1, 60_000, 1_000),
    /** Waiting-room polls are refused (503 + Retry-After 10 s) while the event loop lags more than this; 0 = never. */
    SHED_POLL_LAG_MS: intIn(0, 60_000, 100),
    /**
     * `off` sends the hot routes (lib/http/hot-routes.ts) through Next like every other route, in the production
     * server too: a switch for operators, and how the tests compare both paths.
     */
    HOT_ROUTES: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('on')),
    /**
     * Worker processes of one server (scripts/server.ts, node:cluster on one port). Unset: one per core with
     * PostgreSQL and a shared coordinator, else one (see webConcurrency below). More than one needs both: PGlite is one
     * process per data directory, and the in-process coordinator would give each worker its own waiting room.
     */
    WEB_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(256).optional()),

    AUTH_SECRET: secret,
    QUEUE_TOKEN_SECRET: secret,
    TICKET_KEY_SECRET: secret,
    CRON_SECRET: secret,

    /**
     * Bearer token for GET /api/metrics and the details of /api/health (`Authorization: Bearer <token>`). Unset: only
     * clients connecting from loopback (127.0.0.0/8, ::1) get them, as the production server sees the socket.
     */
    METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
    /** `1` serves the benchmark's routes (/api/bench/...); off by default, so production never answers them. */
    BENCH_ROUTES: z.preprocess(emptyToUndefined, z.enum(['0', '1']).default('0')),

    STRIPE_SECRET_KEY: optionalString,
    STRIPE_WEBHOOK_SECRET: optionalString,
    STRIPE_PUBLISHABLE_KEY: optionalString,
    STRIPE_API_URL: optionalUrl(['http', 'https']),
  })
  .superRefine((env, ctx) => {
    try {
      parseProxyList(env.TRUSTED_PROXIES);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['TRUSTED_PROXIES'], message: (error as Error).message });
    }
    if (env.REDIS_CLUSTER_NODES !== undefined) {
      try {
        parseClusterNodes(env.REDIS_CLUSTER_NODES);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['REDIS_CLUSTER_NODES'], message: (error as Error).message });
      }
      if (env.REDIS_URL || env.UPSTASH_REDIS_REST_URL) {
        ctx.addIssue({
          code: 'custom',
          path: ['REDIS_CLUSTER_NODES'],
          message: 'set either REDIS_CLUSTER_NODES, REDIS_URL or UPSTASH_REDIS_REST_URL, not several',
        });
      }
    }
    if (Boolean(env.UPSTASH_REDIS_REST_URL) !== Boolean(env.UPSTASH_REDIS_REST_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.UPSTASH_REDIS_REST_URL ? 'UPSTASH_REDIS_REST_TOKEN' : 'UPSTASH_REDIS_REST_URL'],
        message: 'UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must be set together',
      });
    }
    if ((env.WEB_CONCURRENCY ?? 1) > 1 && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEB_CONCURRENCY'],
        message:
          'more than one process needs PostgreSQL (DATABASE_URL): the embedded PGlite database allows one process per data directory',
      });
    } else if (
      (env.WEB_CONCURRENCY ?? 1) > 1 &&
      !env.REDIS_URL &&
      !env.REDIS_CLUSTER_NODES &&
      !env.UPSTASH_REDIS_REST_URL
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEB_CONCURRENCY'],
        message:
          'more than one process needs a shared coordinator (REDIS_URL, REDIS_CLUSTER_NODES or UPSTASH_REDIS_REST_URL): in-process rate limits and waiting rooms would differ per process',
      });
    }
    if (env.DATABASE_REPLICA_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_REPLICA_URL'],
        message: 'needs DATABASE_URL (a replica of the embedded database does not exist)',
      });
    }
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['STRIPE_WEBHOOK_SECRET'],
        message: 'is required when STRIPE_SECRET_KEY is set (webhooks are verified)',
      });
    }
  });

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated configuration of this process (parsed once). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests and scripts that change process.env call this to re-read it. */
export function resetEnvForTests(): void {
  cached = undefined;
}

export type DatabaseMode = 'postgres' | 'pglite';
export type CoordinatorMode = 'redis' | 'upstash' | 'memory';
export type PaymentsMode = 'stripe' | 'simulated';

export const databaseMode = (e: Env = env()): DatabaseMode => (e.DATABASE_URL ? 'postgres' : 'pglite');
/** A Redis Cluster is still the `redis` mode: the same adapters, on a cluster client (lib/coordination/index.ts). */
export const coordinatorMode = (e: Env = env()): CoordinatorMode =>
  e.UPSTASH_REDIS_REST_URL ? 'upstash' : e.REDIS_URL || e.REDIS_CLUSTER_NODES ? 'redis' : 'memory';

/** The seed nodes of a Redis Cluster, with what the URLs said about credentials and TLS. */
export type ClusterNodes = {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
};

/** Parses REDIS_CLUSTER_NODES (`host:port` or redis[s]:// URLs, comma-separated); throws naming the bad entry. */
export function parseClusterNodes(value: string): ClusterNodes {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('needs at least one node (host:port)');
  const out: ClusterNodes = { nodes: [], tls: false };
  for (const entry of entries) {
    const url = entry.includes('://') ? entry : `redis://${entry}`;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`"${entry}" is not host:port or a redis:// URL`);
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
      throw new Error(`"${entry}" must be host:port or start with redis:// or rediss://`);
    const port = Number(parsed.port || 6379);
    if (!parsed.hostname || !Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`"${entry}" needs a host and a port`);
    // A cluster has only database 0.
    if (parsed.pathname && parsed.pathname !== '/' && parsed.pathname !== '/0')
      throw new Error(`"${entry}": a Redis Cluster has only database 0`);
    out.nodes.push({ host: parsed.hostname, port });
    if (parsed.protocol === 'rediss:') out.tls = true;
    if (parsed.password && out.password === undefined) {
      out.password = decodeURIComponent(parsed.password);
      if (parsed.username) out.username = decodeURIComponent(parsed.username);
    }
  }
  return out;
}

export const paymentsMode = (e: Env = env()): PaymentsMode => (e.STRIPE_SECRET_KEY ? 'stripe' : 'simulated');

/**
 * How many worker processes `npm start` runs: WEB_CONCURRENCY, or one per core when every piece of shared state is
 * outside the process (PostgreSQL and Redis), or one.
 */
export const webConcurrency = (e: Env = env(), cores: number = 1): number =>
  e.WEB_CONCURRENCY ?? (databaseMode(e) === 'postgres' && coordinatorMode(e) !== 'memory' ? Math.max(1, cores) : 1);

export const appUrl = (e: Env = env()): string => e.APP_URL ?? `http://localhost:${e.PORT}`;

type SecretName = 'AUTH_SECRET' | 'QUEUE_TOKEN_SECRET' | 'TICKET_KEY_SECRET' | 'CRON_SECRET';

/**
 * A secret the running code needs. `npm start` generates missing ones under the data directory in the
 * embedded mode; a production deployment must set them, and learns which one is missing here.
 */
export function requiredSecret(name: SecretName, e: Env = env()): string {
  const value = e[name];
  if (!value)
    throw new ConfigError([
      `${name}: is required (at least 32 characters); generate one with \`openssl rand -base64 48\``,
    ]);
  return value;
}
