import 'server-only';
import type { Viewer } from '@/lib/auth/viewer';
import { getCoordinator } from '@/lib/coordination';
import type { QueueStore } from './store/port';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { carriedAdmission } from './admission';
import type { AdmissionClaims } from './admission-token';
import { complain } from './context';
import { withTimeout } from './with-timeout';
import { presaleLineId } from './presale-line';

/** What carries an admission: a request, or just its cookies (cookiesOnly) where the caller has no Request. */
export type AdmissionCarrier = Request | { headers: { get(name: string): string | null } };

/** A carrier of a request's Cookie header alone (a server action's, or a request already taken apart). */
export const cookiesOnly = (cookieHeader: string | null): AdmissionCarrier => ({
  headers: { get: (name) => (name.toLowerCase() === 'cookie' ? cookieHeader : null) },
});

/**
 * For the hold and checkout APIs: throws 403 QUEUE_TOKEN_REQUIRED unless the request carries a genuine, current
 * admission token for this event, issued to this account and this browser session, whose window was not ended early
 * (checkout done). When the coordinator cannot say whether it ended, the token is trusted: admitted shoppers keep
 * shopping through a Redis outage.
 */
export async function assertAdmitted(
  request: AdmissionCarrier,
  eventId: string,
  viewer: Pick<Viewer, 'id'>,
  deps: { queue?: QueueStore; now?: Date } = {},
): Promise<void> {
  const id = eventId.toLowerCase();
  const claims = await requireAdmissionToken(request, id, viewer, deps.now);
  const queue = deps.queue ?? getCoordinator().queue;
  let ended = false;
  try {
    ended = await withTimeout(
      queue.admissionEnded(claims.ul?.p ? presaleLineId(id, claims.ul.p) : id, claims.vid, claims.exp * 1000),
      env().COORDINATOR_TIMEOUT_MS,
      'queue admission ended',
    );
  } catch (error) {
    complain(error, id, 'waiting room: cannot check for an ended admission; trusting the token');
  }
  if (ended) throw admissionEnded(id);
}

/**
 * The first half of assertAdmitted, with no call to the coordinator: the request's admission token for this event,
 * account and browser session, verified, or 403 QUEUE_TOKEN_REQUIRED. The hold route checks the second half (the
 * window was not ended early) inside its seat claim, in the same round trip (lib/inventory/place-hold.ts).
 */
export async function requireAdmissionToken(
  request: AdmissionCarrier,
  eventId: string,
  viewer: Pick<Viewer, 'id'>,
  now?: Date,
): Promise<AdmissionClaims> {
  const id = eventId.toLowerCase();
  const claims = await carriedAdmission(request.headers.get('cookie'), id, viewer.id, (now ?? new Date()).getTime());
  if (!claims)
    throw new AppError('QUEUE_TOKEN_REQUIRED', 'Join the waiting room for this event first.', {
      queueUrl: `/events/${id}/queue`,
    });
  return claims;
}

/** The 403 for a shopping window that was ended early (the buyer checked out). */
export const admissionEnded = (eventId: string) =>
  new AppError('QUEUE_TOKEN_REQUIRED', 'Your shopping window for this event has ended. Join the waiting room again.', {
    queueUrl: `/events/${eventId.toLowerCase()}/queue`,
  });
