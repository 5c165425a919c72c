import 'server-only';
import type { Database } from '@/db/client';
import type { QueueStatus } from '@/lib/contracts/queue';
import type { Leases } from '@/lib/coordination/leases/port';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { noteQueueActivity } from './active-queues';
import { queuePhase, queuePolicy, type QueueEvent, type QueuePhase } from './policy';
import { getQueueEventOrThrow } from './queue-event';
import type { QueuePolicy, QueueStore } from './store/port';
import { visitorId } from './visitor-id';
import { withTimeout } from './with-timeout';
import { eventHasAccessCodes, getAccountAccess, type PresaleWindow } from '@/lib/presale/account-access';
import { presaleLineEvent, presaleLineFor, presaleLineId } from './presale-line';

/** What every queue operation gets: the database, the queue store, leases (the draw's), and (for tests) the time. */
export type QueueDeps = { db: Database; queue: QueueStore; leases: Leases; now?: Date; timeoutMs?: number };

/** A queue operation's answer: the status document and, when admitted or leaving, the admission cookie to set. */
export type QueueAnswer = { status: QueueStatus; setCookie: string | null };

export type QueueContext = {
  deps: QueueDeps;
  event: QueueEvent;
  now: Date;
  phase: QueuePhase;
  policy: QueuePolicy;
  visitor: string;
  accountId: string;
  /** The line this visitor stands in: the event's (its id), or a presale's (presaleLineId) before the on-sale. */
  queueId: string;
  /** The presale whose line this is, and what the account's codes unlock; null in the event's own line. */
  presale: PresaleWindow | null;
  /** Runs a queue store call with the configured timeout. */
  coordinated<T>(what: string, call: (q: QueueStore) => Promise<T>): Promise<T>;
};

/**
 * How long a queue operation waits for the coordinator. Longer than COORDINATOR_TIMEOUT_MS (the hold path's breaker,
 * which has PostgreSQL to fall back on): the line has no fallback, and a 503 only brings the visitor back in a few
 * seconds with the same request, so under load waiting a little longer is cheaper for everyone.
 */
export const QUEUE_COORDINATOR_TIMEOUT_MS = 2_000;

export async function queueContext(deps: QueueDeps, eventId: string, accountId: string): Promise<QueueContext> {
  const general = await getQueueEventOrThrow(deps.db, eventId);
  const now = deps.now ?? new Date();
  noteQueueActivity(general.id, now.getTime());
  // Before the general on-sale, a buyer whose code unlocks a presale stands in that presale's line instead.
  const generalPhase = queuePhase(general, now);
  // Only for an event with codes: the account's codes are a query, and this runs on every join and poll.
  const presale =
    (generalPhase === 'not-open' || generalPhase === 'prequeue') && (await eventHasAccessCodes.get(deps.db, general.id))
      ? (presaleLineFor((await getAccountAccess(deps.db, general.id, accountId)).presales, now) ?? null)
      : null;
  const event = presale ? presaleLineEvent(general, presale) : general;
  const timeoutMs = deps.timeoutMs ?? Math.max(QUEUE_COORDINATOR_TIMEOUT_MS, env().COORDINATOR_TIMEOUT_MS);
  return {
    deps,
    event,
    now,
    phase: queuePhase(event, now),
    policy: queuePolicy(event, now),
    visitor: visitorId(event.id, accountId),
    accountId,
    queueId: presale ? presaleLineId(event.id, presale.id) : event.id,
    presale,
    coordinated: (what, call) => withTimeout(call(deps.queue), timeoutMs, what),
  };
}

/**
 * The coordinator did not answer: new arrivals are held (503, the page keeps trying after Retry-After), while
 * visitors who were admitted keep shopping on their tokens (callers check those first).
 */
export function queueUnavailable(error: unknown, eventId: string): AppError {
  complain(error, eventId, 'waiting room: coordinator unavailable, holding new arrivals');
  return new AppError(
    'SERVICE_UNAVAILABLE',
    'The waiting room cannot be reached for a moment. This page keeps trying; admitted shoppers are not affected.',
    { retryAfter: 5 },
    { cause: error },
  );
}

const lastComplaint = new Map<string, number>();

/** A warning at most every ten seconds per message: during an outage every poll would otherwise log one. */
export function complain(error: unknown, eventId: string, message: string): void {
  const now = Date.now();
  if ((lastComplaint.get(message) ?? 0) > now - 10_000) return;
  lastComplaint.set(message, now);
  log().warn({ err: error, eventId }, message);
}
