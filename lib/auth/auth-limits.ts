import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditLog } from '@/db/schema';
import { rows } from '@/db/sql';
import { getCoordinator } from '@/lib/coordination';
import type { Leases } from '@/lib/coordination/leases/port';
import type { RateLimitStore } from '@/lib/coordination/rate-limits/port';
import { log } from '@/lib/observability/log';
import { metrics } from '@/lib/observability/metrics';
import { checkRateLimit, rateLimited } from '@/lib/ratelimit/enforce-rate-limit';
import { RATE_LIMITS } from '@/lib/ratelimit/policies';
import { isHighDemandSeason } from '@/lib/security/high-demand';
import { checkProof, requireProofOfWork, spendProof } from '@/lib/security/proof-of-work';
import { accountKey, trustedDeviceFor } from './trusted-device';

/**
 * The one place that decides whether a sign-in or sign-up attempt may be tried, for the JSON endpoint
 * (app/api/auth/[...all]) and the forms' server actions (lib/auth/actions.ts) alike. Budgets are in
 * lib/ratelimit/policies.ts; the rules are explained in docs/decisions/021-sign-in-throttling.md and docs/security.md.
 */

const locks = metrics.counter(
  'admitone_sign_in_locks_total',
  'Accounts locked for unknown browsers after too many sign-in attempts',
);

/** The ports the guards use; each defaults to the process's coordinator. */
type Deps = { leases?: Leases; rateLimits?: RateLimitStore };

/**
 * Before a password is checked: a browser with the account's trusted-device cookie spends its own budget only;
 * any other spends the account's and the address's: five tries a minute, then one as each slot frees, and past ten
 * in fifteen minutes a lock until the window slides. Each lock is logged and written to the audit log once.
 */
export async function guardSignIn(
  attempt: { email: string; ip: string | null; deviceCookie: string | null },
  deps: Deps = {},
): Promise<void> {
  const key = accountKey(attempt.email);
  const device = trustedDeviceFor(attempt.deviceCookie, attempt.email);
  if (device) {
    const verdict = await checkRateLimit('sign-in-device', { accountId: `${key}.${device}` }, deps);
    if (verdict.refused.length)
      throw rateLimited(
        'sign-in-device',
        verdict.retryAfter,
        `Too many sign-in attempts from this browser. Try again in ${verdict.retryAfter} s.`,
      );
    return;
  }
  const [pace, lock] = await Promise.all([
    checkRateLimit('sign-in', { accountId: key, ip: attempt.ip }, deps),
    checkRateLimit('sign-in-lock', { accountId: key, ip: attempt.ip }, deps),
  ]);
  if (lock.refused.includes('acct')) {
    await noteLock(attempt.email, key, attempt.ip, lock.retryAfter, deps);
    throw rateLimited(
      'sign-in-lock',
      lock.retryAfter,
      `Too many sign-in attempts for this account. It is locked for browsers it has not signed in from before; try again in ${lock.retryAfter} s.`,
    );
  }
  const refused = [lock, pace].find((v) => v.refused.length);
  if (refused)
    throw rateLimited(
      refused === lock ? 'sign-in-lock' : 'sign-in',
      refused.retryAfter,
      `Too many sign-in attempts. Try again in ${refused.retryAfter} s.`,
    );
}

/** One audit line per lock (the first refusal of a lock window writes it; the rest of that window do not). */
async function noteLock(email: string, key: string, ip: string | null, retryAfter: number, deps: Deps): Promise<void> {
  const windowMs = RATE_LIMITS['sign-in-lock'].perAccount.windowMs;
  const first = await (deps.leases ?? getCoordinator().leases)
    .acquire(`{auth-lock}:${key}`, 'audit', windowMs)
    .catch(() => true);
  if (!first) return;
  locks.inc();
  const until = new Date(Date.now() + retryAfter * 1000).toISOString();
  log().warn(
    { account: key, address: ip, until },
    'sign-in: account locked for unknown browsers after too many attempts',
  );
  try {
    const db = await getDb();
    const [account] = await rows<{ id: string }>(
      db,
      sql`select id from users where email = ${email.trim().toLowerCase()}`,
    );
    if (account) {
      await db.insert(auditLog).values({
        actorId: null,
        action: 'auth.sign_in_locked',
        entityType: 'user',
        entityId: account.id,
        after: { until, address: ip, policy: 'sign-in-lock' },
      });
    }
  } catch (error) {
    log().warn({ err: error }, 'sign-in: could not write the lock to the audit log');
  }
}

export type SignUpVia = 'api' | 'form';

/**
 * Before an account is created: per address and per email address, always. While a high-demand sale is coming,
 * also a proof of work (lib/security/proof-of-work.ts): the JSON API answers 428 with a challenge without one; a form
 * sent without one (no JavaScript) is let through on a much smaller per-address budget instead of being refused.
 */
export async function guardSignUp(
  attempt: { email: string; ip: string | null; proof: string | null; via: SignUpVia },
  deps: Deps = {},
): Promise<void> {
  if (await isHighDemandSeason(await getDb())) {
    if (attempt.via === 'api') await requireProofOfWork(attempt.proof, 'sign-up', deps);
    else {
      const check = checkProof(attempt.proof, 'sign-up');
      const proven = check.ok && (await spendProof(check, deps.leases));
      if (!proven) {
        const verdict = await checkRateLimit('sign-up-unproven', { ip: attempt.ip }, deps);
        if (verdict.refused.length)
          throw rateLimited(
            'sign-up-unproven',
            verdict.retryAfter,
            `Too many accounts were created from your network. Turn on JavaScript, or try again in ${verdict.retryAfter} s.`,
          );
      }
    }
  }
  const verdict = await checkRateLimit('sign-up', { accountId: accountKey(attempt.email), ip: attempt.ip }, deps);
  if (verdict.refused.length)
    throw rateLimited(
      'sign-up',
      verdict.retryAfter,
      `Too many sign-ups from your network. Try again in ${verdict.retryAfter} s.`,
    );
}
