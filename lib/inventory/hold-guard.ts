import 'server-only';
import { eventLimitKey, type ClaimGuard } from '@/lib/coordination/seats/port';
import { AppError } from '@/lib/errors';
import { admissionEnded } from '@/lib/queue/assert-admitted';
import {
  enforceRateLimit,
  isLoopback,
  localLimiter,
  rateLimited,
  recordLimited,
} from '@/lib/ratelimit/enforce-rate-limit';
import { RATE_LIMITS, type SubjectKind } from '@/lib/ratelimit/policies';
import type { AdmissionUnlocks } from '@/lib/queue/admission-token';
import type { SaleAccess } from './sale-rules';

/**
 * What the hold route knows about the request that the seat claim checks in the same round trip: the buyer's
 * admission (its token already verified; the claim checks the window was not ended early) and the client address
 * for the per-address budget. Without a guard (library callers, tests of the hold itself) neither is checked.
 */
export type HoldGuardInput = {
  admission?: { visitor: string; untilMs: number };
  ip: string | null;
  /** What the admission's presale codes unlock (a presale window, hidden tiers); nothing when absent. */
  access?: SaleAccess;
};

/** The token's unlock claim as the sale rules read it. */
export const saleAccess = (ul: AdmissionUnlocks | undefined): SaleAccess | undefined =>
  ul && { presaleId: ul.p, tierIds: ul.t, perAccountLimit: ul.n };

/** The claim's guard for this hold, and which subject kind each of its budgets counts (for metrics). */
export function holdGuard(
  eventId: string,
  userId: string,
  input: HoldGuardInput,
  nowMs: number,
): { guard: ClaimGuard; kinds: SubjectKind[] } {
  const { perAccount, perIpAndScope } = RATE_LIMITS.holds;
  const limits: NonNullable<ClaimGuard['limits']> = [
    { key: eventLimitKey(eventId, 'holds', `acct:${userId}`), ...perAccount },
  ];
  const kinds: SubjectKind[] = ['acct'];
  // Loopback clients are this machine or an unnamed proxy on it: not limited per address (lib/ratelimit/enforce-rate-limit.ts).
  if (input.ip && !isLoopback(input.ip)) {
    limits.push({ key: eventLimitKey(eventId, 'holds', `ip:${input.ip}`), ...perIpAndScope });
    kinds.push('ip-scope');
  }
  return { guard: { nowMs, admission: input.admission, limits }, kinds };
}

/** The 429 or 403 for a claim its guard refused. */
export function guardRefusal(
  eventId: string,
  kinds: SubjectKind[],
  refusal: { limited: { limit: number; resetMs: number } } | { admissionEnded: true },
  nowMs: number,
): AppError {
  if ('admissionEnded' in refusal) return admissionEnded(eventId);
  recordLimited('holds', [kinds[refusal.limited.limit] ?? 'acct']);
  return rateLimited('holds', Math.max(1, Math.ceil((refusal.limited.resetMs - nowMs) / 1000)));
}

/**
 * When the claim could not run (the coordinator is down or slow): the budgets are counted by this instance's own
 * limiter (per-instance limits beat none) and the admission token is trusted, as assertAdmitted does.
 */
export async function guardWithoutCoordinator(eventId: string, userId: string, input: HoldGuardInput): Promise<void> {
  await enforceRateLimit('holds', { accountId: userId, ip: input.ip, scope: eventId }, { rateLimits: localLimiter() });
}
