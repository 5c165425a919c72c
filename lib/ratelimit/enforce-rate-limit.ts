import 'server-only';
import { getCoordinator } from '@/lib/coordination';
import { MemoryCoordinator } from '@/lib/coordination/memory';
import type { Coordinator, RateLimitResult } from '@/lib/coordination/port';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { Counter, metrics } from '@/lib/observability/metrics';
import { RATE_LIMITS, rateLimitKey, type Budget, type RateLimitName, type RatePolicy } from './policies';

const holder = globalThis as { __admitoneLocalLimiter?: MemoryCoordinator };
/** This process's own limiter, used when the shared one cannot answer: per-instance limits beat none. */
const localLimiter = () => (holder.__admitoneLocalLimiter ??= new MemoryCoordinator());

const limited: Counter = metrics.counter('admitone_rate_limited_total', 'Requests refused by a rate limit, by policy and subject kind');
const degraded: Counter = metrics.counter('admitone_rate_limit_degraded_total', 'Rate-limit checks answered by the per-instance fallback');
let lastComplaint = 0;

async function check(coordinator: Coordinator, key: string, budget: Budget, timeoutMs: number): Promise<RateLimitResult> {
  try {
    const result = await coordinator.rateLimit(key, budget.limit, budget.windowMs);
    if (!result.timedOut) return result;
  } catch (error) {
    if (Date.now() - lastComplaint > 60_000) {
      lastComplaint = Date.now();
      log().warn({ err: error, timeoutMs }, 'rate limit: shared limiter failed; limiting per instance');
    }
  }
  // A timeout (@upstash/ratelimit would let the request through) or an error: count it here instead.
  degraded.inc();
  return localLimiter().rateLimit(key, budget.limit, budget.windowMs);
}

/**
 * Counts the request against the policy for the account and the client address (both when given) and throws 429
 * RATE_LIMITED with Retry-After when either budget is spent. See docs/decisions/013-rate-limits.md for what happens
 * when the shared limiter is slow or down.
 */
export async function enforceRateLimit(
  name: RateLimitName,
  subject: { accountId?: string; ip?: string | null },
  deps: { coordinator?: Coordinator; budgets?: RatePolicy } = {},
): Promise<void> {
  const policy: RatePolicy = deps.budgets ?? RATE_LIMITS[name];
  const coordinator = deps.coordinator ?? getCoordinator();
  const timeoutMs = env().COORDINATOR_TIMEOUT_MS;
  const checks: Promise<[kind: 'acct' | 'ip', RateLimitResult]>[] = [];
  if (subject.accountId && policy.perAccount) checks.push(check(coordinator, rateLimitKey(name, 'acct', subject.accountId), policy.perAccount, timeoutMs).then((r) => ['acct', r]));
  if (subject.ip && policy.perIp) checks.push(check(coordinator, rateLimitKey(name, 'ip', subject.ip), policy.perIp, timeoutMs).then((r) => ['ip', r]));
  const refused = (await Promise.all(checks)).filter(([, r]) => !r.success);
  if (refused.length === 0) return;
  const resetMs = Math.max(...refused.map(([, r]) => r.resetMs));
  const retryAfter = Math.max(1, Math.ceil((resetMs - Date.now()) / 1000));
  for (const [kind] of refused) limited.inc({ policy: name, subject: kind });
  throw new AppError('RATE_LIMITED', `Too many requests. Try again in ${retryAfter} s.`, { retryAfter, policy: name });
}
