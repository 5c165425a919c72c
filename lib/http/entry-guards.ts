import 'server-only';
import { getViewer, requireAdmin, requireStaff, requireViewer, type Viewer } from '@/lib/auth/viewer';
import { idempotencyKeySchema } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { enforceRateLimit } from '@/lib/ratelimit/enforce-rate-limit';
import type { RateLimitName } from '@/lib/ratelimit/policies';

/**
 * The guards an entry point declares as options, shared by route() (lib/http/route.ts) and action()
 * (lib/http/action.ts), so a route handler and a server action for the same thing refuse the same requests with the
 * same codes.
 */

/** Who may call: nobody in particular, anyone (the viewer if signed in), a signed-in person, an organizer. */
/** 'door' and 'box_office': that staff role or an admin (lib/auth/viewer.ts requireStaff). */
export type AuthMode = 'none' | 'optional' | 'viewer' | 'admin' | 'door' | 'box_office';

/** What a handler receives as `viewer` for an auth mode: never null where the mode requires a session. */
export type ViewerFor<A> = A extends 'viewer' | 'admin' | 'door' | 'box_office'
  ? Viewer
  : A extends 'optional'
    ? Viewer | null
    : null;

/**
 * Resolves the caller for the entry point's auth mode: 401 UNAUTHENTICATED without a session where one is needed,
 * 403 FORBIDDEN for a non-admin where an organizer is, null where nobody in particular is asked for (no session
 * lookup at all, so public routes cost nothing here).
 */
export async function resolveViewer(headers: Headers, auth: AuthMode | undefined): Promise<Viewer | null> {
  switch (auth) {
    case 'viewer':
      return requireViewer(headers);
    case 'admin':
      return requireAdmin(headers);
    case 'door':
    case 'box_office':
      return requireStaff(headers, auth);
    case 'optional':
      return getViewer(headers);
    default:
      return null;
  }
}

/**
 * Counts the request against a named policy (lib/ratelimit/policies.ts) for the caller's account, when there is
 * one, and the client address (lib/ratelimit/client-ip.ts, never a header anyone can set): 429 RATE_LIMITED when
 * either budget is spent. Runs after authentication, so an account's budget is the account's own.
 */
export async function limitRate(
  policy: RateLimitName | undefined,
  viewer: Viewer | null,
  headers: Headers,
): Promise<void> {
  if (policy) await enforceRateLimit(policy, { accountId: viewer?.id, ip: clientIp(headers) });
}

/** Whether an entry point needs an idempotency key ('required': 400 without one) or takes one if sent. */
export type IdempotencyMode = 'required' | 'optional';

/** What a handler receives as `idempotencyKey`: a string where required, string or null where optional. */
export type IdempotencyKeyFor<I> = I extends 'required' ? string : I extends 'optional' ? string | null : null;

/**
 * The idempotency key as the entry point declared it: 400 IDEMPOTENCY_KEY_REQUIRED when a required one is missing,
 * 422 VALIDATION_FAILED (the shared schema's ZodError, mapped like any other) when it is not 8 to 255 printable
 * characters.
 */
export function idempotencyKeyOf(value: string | null, mode: IdempotencyMode): string | null {
  if (value === null) {
    if (mode === 'optional') return null;
    throw new AppError(
      'IDEMPOTENCY_KEY_REQUIRED',
      'Send an Idempotency-Key header (a UUID made once per attempt) and reuse it on retries.',
    );
  }
  return idempotencyKeySchema.parse(value);
}
