import 'server-only';
import { getCoordinator } from '@/lib/coordination';
import { MemoryRateLimitStore } from '@/lib/coordination/rate-limits/memory';
import type { RateLimitResult, RateLimitStore } from '@/lib/coordination/rate-limits/port';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { metrics } from '@/lib/observability/metrics';
import {
  RATE_LIMITS,
  rateLimitKey,
  type Budget,
  type RateLimitName,
  type RatePolicy,
  type SubjectKind,
} from './policies';
import { processSingleton } from '@/lib/process-singletons';

const local = processSingleton('localLimiter', () => new MemoryRateLimitStore());
/** This process's own limiter, used when the shared one cannot answer: per-instance limits beat none. */
export const localLimiter = () => local;

const limited = metrics.counter(
  'admitone_rate_limited_total',
  'Requests refused by a rate limit, by policy and subject kind',
  ['policy', 'subject'],
);
const degraded = metrics.counter(
  'admitone_rate_limit_degraded_total',
  'Rate-limit checks answered by the per-instance fallback',
);
let lastComplaint = 0;

async function check(store: RateLimitStore, key: string, budget: Budget, timeoutMs: number): Promise<RateLimitResult> {
  try {
    const result = await store.limit(key, budget.limit, budget.windowMs);
    if (!result.timedOut) return result;
  } catch (error) {
    if (Date.now() - lastComplaint > 60_000) {
      lastComplaint = Date.now();
      log().warn({ err: error, timeoutMs }, 'rate limit: shared limiter failed; limiting per instance');
    }
  }
  // A timeout (@upstash/ratelimit would let the request through) or an error: count it here instead.
  degraded.inc();
  return localLimiter().limit(key, budget.limit, budget.windowMs);
}

export type RateLimitSubject = {
  accountId?: string;
  ip?: string | null;
  /** For `perIpAndScope` budgets: what the address's budget is for (an event id). */
  scope?: string;
};

/**
 * Loopback clients (127.0.0.0/8, ::1 as its /64 bucket) are not limited per address: they are this machine (an
 * operator, a health check, tests) or a proxy on it that TRUSTED_PROXIES does not name, whose clients would otherwise
 * all share one bucket, the lockout issue 15 reported. Their per-account budgets still apply.
 */
export const isLoopback = (bucket: string) => bucket.startsWith('127.') || bucket === '0:0:0:0::/64';

/** Which budgets refused the request (empty: it may go on) and when the last of them frees a slot. */
export type RateLimitVerdict = { refused: SubjectKind[]; retryAfter: number };

/**
 * Counts the request against the policy for each subject given (account, client address, address within a scope) and
 * says which budgets are spent, without throwing. A subject that is not given (no account, an unknown or loopback
 * address) is not counted. See docs/decisions/013-rate-limits.md for what happens when the shared limiter is slow or down.
 */
export async function checkRateLimit(
  name: RateLimitName,
  subject: RateLimitSubject,
  deps: { rateLimits?: RateLimitStore; budgets?: RatePolicy } = {},
): Promise<RateLimitVerdict> {
  const policy: RatePolicy = deps.budgets ?? RATE_LIMITS[name];
  const store = deps.rateLimits ?? getCoordinator().rateLimits;
  const timeoutMs = env().COORDINATOR_TIMEOUT_MS;
  const checks: Promise<[kind: SubjectKind, RateLimitResult]>[] = [];
  const count = (kind: SubjectKind, id: string, budget: Budget) =>
    checks.push(check(store, rateLimitKey(name, kind, id), budget, timeoutMs).then((r) => [kind, r]));
  if (subject.accountId && policy.perAccount) count('acct', subject.accountId, policy.perAccount);
  const ip = subject.ip && !isLoopback(subject.ip) ? subject.ip : null;
  if (ip && policy.perIp) count('ip', ip, policy.perIp);
  if (ip && subject.scope && policy.perIpAndScope) count('ip-scope', `${ip}|${subject.scope}`, policy.perIpAndScope);
  const refused = (await Promise.all(checks)).filter(([, r]) => !r.success);
  if (refused.length === 0) return { refused: [], retryAfter: 0 };
  const resetMs = Math.max(...refused.map(([, r]) => r.resetMs));
  recordLimited(
    name,
    refused.map(([kind]) => kind),
  );
  return { refused: refused.map(([kind]) => kind), retryAfter: Math.max(1, Math.ceil((resetMs - Date.now()) / 1000)) };
}

/** Counts refusals made elsewhere (a hold's budgets are checked inside its seat claim) in the same metric. */
export function recordLimited(name: string, kinds: readonly SubjectKind[]): void {
  for (const kind of kinds) limited.inc({ policy: name, subject: kind });
}

/** The 429 for a spent budget, with Retry-After. */
export function rateLimited(
  name: string,
  retryAfter: number,
  detail = `Too many requests. Try again in ${retryAfter} s.`,
): AppError {
  return new AppError('RATE_LIMITED', detail, { retryAfter, policy: name });
}

/**
 * Counts the request against the policy for the account and the client address (both when given) and throws 429
 * RATE_LIMITED with Retry-After when either budget is spent.
 */
export async function enforceRateLimit(
  name: RateLimitName,
  subject: RateLimitSubject,
  deps: { rateLimits?: RateLimitStore; budgets?: RatePolicy } = {},
): Promise<void> {
  const verdict = await checkRateLimit(name, subject, deps);
  if (verdict.refused.length) throw rateLimited(name, verdict.retryAfter);
}
