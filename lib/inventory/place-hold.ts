import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { PG, pgErrorCode, rows, ts } from '@/db/sql';
import type { HoldResponse } from '@/lib/contracts/inventory';
import type { Viewer } from '@/lib/auth/viewer';
import { AppError } from '@/lib/errors';
import { assertAdmitted, cookiesOnly, requireAdmissionToken } from '@/lib/queue/assert-admitted';
import { ABANDONED_HOLDS, abandonedHolds, type Budget } from '@/lib/ratelimit/abandoned-holds';
import { bestEffort, freeInFilter, type InventoryDeps } from './deps';
import { guardRefusal, guardWithoutCoordinator, holdGuard, saleAccess, type HoldGuardInput } from './hold-guard';
import {
  databaseOnlyHolds,
  holdConflicts,
  holdDuration,
  holdRejections,
  holdSeatsGranted,
  holdsGranted,
  recordHoldOutcome,
} from './metrics';
import { knownSold } from './availability';
import { assertOnSale, cachedSaleRules, getSaleRules, lockedSeats, openPresale, type SaleRules } from './sale-rules';
import { countOf } from '@/lib/format';

export type PlaceHoldInput = { eventId: string; userId: string; seatIds: number[] };
/** A buyer's hold request as it arrives: the seats, and what the request carries for the waiting room and limits. */
export type HoldSeatsInput = { eventId: string; seatIds: number[]; cookieHeader: string | null; ip: string | null };
/**
 * The account limits a hold is checked against, when not the buyer's: the counter (lib/counter) sells many orders
 * from one staff account, so the per-account limit and the abandoned-holds budget are the counter's own.
 */
export type HoldLimits = { perAccountLimit?: number; abandon?: Budget };
/** Milliseconds spent in each step of a hold, for the Server-Timing header and the benchmark's breakdown. */
export type HoldTimings = Partial<Record<'rules' | 'filter' | 'commit' | 'release', number>>;

class SeatsTaken extends Error {
  constructor(readonly seatIds: number[]) {
    super('seats taken');
  }
}

/**
 * How long a claim in the filter lasts until PostgreSQL has committed the hold behind it; then it is extended to the
 * hold's time. A claim whose request died before the commit (a crash, a lost connection) lapses this soon, not after
 * a whole hold's time of refusing seats that PostgreSQL would sell.
 */
export const CLAIM_LEASE_MS = 15_000;

/**
 * POST /api/events/{id}/holds, the whole decision: the event must exist and be selling (its cached rules; an unknown
 * event is 404, not "join the waiting room"), the buyer must carry this event's admission (403), and then the seats
 * are held or not (placeHold below), with the admission's early end and the hold budgets checked inside the seat
 * claim, and the abandoned-holds budget inside the hold statement: one coordinator call and one SQL statement, as
 * before this function existed.
 */
export async function holdSeats(
  deps: InventoryDeps,
  viewer: Pick<Viewer, 'id'>,
  input: HoldSeatsInput,
  timings: HoldTimings = {},
): Promise<HoldResponse> {
  const rules = await getSaleRules(deps.db, input.eventId);
  const admission = await requireAdmissionToken(cookiesOnly(input.cookieHeader), input.eventId, viewer);
  // The seat claim checks ended admissions of the event's line; a presale line's are asked here (presale holds only).
  if (admission.ul?.p) await assertAdmitted(cookiesOnly(input.cookieHeader), input.eventId, viewer);
  const guard = {
    admission: admission.ul?.p ? undefined : { visitor: admission.vid, untilMs: admission.exp * 1000 },
    ip: input.ip,
    access: saleAccess(admission.ul),
  };
  return placeHold(
    deps,
    { eventId: input.eventId, userId: viewer.id, seatIds: input.seatIds },
    { rules, timings, guard },
  );
}

/**
 * The hold route's answer before authentication, for seats everyone can see are gone: when this process has the
 * event's rules and a recent view of its seats (knownSold), the event is on general sale, and a requested seat is sold
 * or blocked, the request is refused with the 409 the whole path would give, naming those seats, without reading the
 * session, the admission or Redis. A sold-out event's crowd then costs about what a no-op request does (issue 14;
 * docs/decisions/050-sold-seats-refused-before-auth.md). Anything else (no view yet, a presale, a hidden seat, a
 * seat that is not the event's, a held seat) is undefined: the route goes on as before, and PostgreSQL decides.
 */
export function refusalBeforeAuth(
  database: () => Promise<Database>,
  eventId: string,
  seatIds: readonly number[],
  now: Date = new Date(),
): AppError | undefined {
  const rules = cachedSaleRules(eventId);
  if (!rules || now < rules.onSaleAt || rules.status === 'cancelled' || now >= rules.startsAt) return undefined;
  // Too many seats, or one twice: the whole path's 422, after authentication.
  if (seatIds.length > rules.perOrderLimit || new Set(seatIds).size !== seatIds.length) return undefined;
  const positions: number[] = [];
  for (const id of seatIds) {
    const position = rules.positions.get(id);
    if (position === undefined || rules.hiddenSeats.has(id)) return undefined;
    positions.push(position);
  }
  const sold = knownSold(database, eventId, positions, now.getTime());
  if (!sold?.length) return undefined;
  const soldPositions = new Set(sold);
  const taken = seatIds.filter((_, i) => soldPositions.has(positions[i]!));
  // Counted for operators only: the event's dashboard figures (recordHoldOutcome) are buyers' requests, and anyone
  // could add to them with refusals that need no session.
  holdConflicts.inc({ stage: 'memory' });
  return seatsUnavailable(taken);
}

/**
 * Holds every requested seat for the buyer, or none (holdSeats is the request's way in; tests and tools call this
 * directly, without the waiting room's guard).
 * 1. Validate against the event's rules and layout (cached; the caller passes them).
 * 2. Filter: one atomic coordinator script claims all seat keys or none, for a short lease; a conflict is answered
 *    here, without touching PostgreSQL. When the coordinator is slow or down the circuit breaker skips this step.
 * 3. Commit: one statement moves exactly these seats to held if each is available or its hold has expired, within
 *    the account's limits; otherwise nothing changes and the claims are released. Committed, the claims are
 *    extended to the hold's time.
 */
export async function placeHold(
  deps: InventoryDeps,
  input: PlaceHoldInput,
  options: { rules?: SaleRules; timings?: HoldTimings; guard?: HoldGuardInput; limits?: HoldLimits } = {},
): Promise<HoldResponse> {
  const started = performance.now();
  let outcome = 'error';
  try {
    const response = await hold(
      deps,
      input,
      options.rules ?? (await getSaleRules(deps.db, input.eventId)),
      options.timings ?? {},
      options.guard,
      options.limits,
    );
    outcome = 'granted';
    return response;
  } catch (error) {
    outcome = error instanceof AppError ? error.code.toLowerCase() : 'error';
    throw error;
  } finally {
    holdDuration.observe({ outcome }, performance.now() - started);
    recordHoldOutcome(input.eventId, outcome, deps.now().getTime());
  }
}

async function hold(
  deps: InventoryDeps,
  { eventId, userId, seatIds }: PlaceHoldInput,
  rules: SaleRules,
  timings: HoldTimings,
  guardInput?: HoldGuardInput,
  limits: HoldLimits = {},
): Promise<HoldResponse> {
  let mark = performance.now();
  const lap = (step: keyof HoldTimings) => {
    const t = performance.now();
    timings[step] = (timings[step] ?? 0) + (t - mark);
    mark = t;
  };
  const now = deps.now();
  const access = guardInput?.access;
  assertOnSale(rules, now, access);
  // Hidden tiers are refused to a buyer's request (the guard) whose codes do not unlock them; library callers that
  // hold on someone's behalf (the counter, a waitlist offer) pass no guard and are not asked.
  validateSeats(rules, seatIds, guardInput ? lockedSeats(rules, seatIds, access) : []);
  // A hold that only a presale code makes possible (before the general on-sale, or of a hidden tier) counts against
  // the code's per-account limit as well, which hold_seats() enforces with the event's.
  const codeLimit = access?.perAccountLimit;
  const throughCode =
    (now < rules.onSaleAt && openPresale(rules, now, access)) || seatIds.some((id) => rules.hiddenSeats.has(id));
  const accountLimit = limits.perAccountLimit ?? rules.perAccountLimit;
  const perAccountLimit = codeLimit && throughCode ? Math.min(accountLimit, codeLimit) : accountLimit;
  const expiresAt = new Date(now.getTime() + rules.holdMinutes * 60_000);
  lap('rules');

  // 2. The contention filter, with the route's guard (admission not ended, the hold budgets) in the same step.
  const guarded = guardInput && holdGuard(eventId, userId, guardInput, now.getTime());
  const claim = await deps.breaker.run(() =>
    deps.seats.claim(eventId, seatIds, userId, CLAIM_LEASE_MS, guarded?.guard),
  );
  lap('filter');
  let fresh: number[] = [];
  if (claim.ok) {
    const answer = claim.value;
    if (!answer.ok) {
      if ('taken' in answer) {
        holdConflicts.inc({ stage: 'coordinator' });
        throw seatsUnavailable(answer.taken);
      }
      throw guardRefusal(eventId, guarded?.kinds ?? [], answer, now.getTime());
    }
    fresh = answer.fresh;
  } else {
    databaseOnlyHolds.inc({ reason: claim.reason });
  }

  // 3. PostgreSQL decides.
  const holdId = crypto.randomUUID();
  try {
    if (!claim.ok && guardInput) await guardWithoutCoordinator(eventId, userId, guardInput);
    await commitHold(deps.db, {
      holdId,
      eventId,
      userId,
      seatIds,
      now,
      expiresAt,
      perAccountLimit,
      abandon: limits.abandon ?? ABANDONED_HOLDS,
    });
    lap('commit');
  } catch (error) {
    lap('commit');
    // Nothing was held: give back what this request claimed (a late claim too, if the filter timed out).
    if (fresh.length) await freeInFilter(deps, 'release claims', () => deps.seats.release(eventId, fresh, userId));
    if (!claim.ok && claim.late) {
      void claim.late
        .then((late) => (late.ok && late.fresh.length ? deps.seats.release(eventId, late.fresh, userId) : undefined))
        .catch(() => {});
    }
    if (error instanceof SeatsTaken) {
      holdConflicts.inc({ stage: 'database' });
      await teachCoordinator(deps, eventId, error.seatIds);
      lap('release');
      throw seatsUnavailable(error.seatIds);
    }
    if (error instanceof AppError) holdRejections.inc({ code: error.code });
    throw error;
  }
  // The hold is PostgreSQL's now: the claims last as long as it does (not awaited; if this fails the claims lapse
  // with their lease and PostgreSQL keeps refusing the seats).
  if (claim.ok)
    void bestEffort(deps, 'extend claims', () =>
      deps.seats.extend(eventId, seatIds, userId, expiresAt.getTime() - deps.now().getTime()),
    );
  holdsGranted.inc();
  holdSeatsGranted.inc({}, seatIds.length);
  return {
    id: holdId,
    eventId,
    seatIds,
    expiresAt: expiresAt.toISOString(),
    serverTime: deps.now().toISOString(),
    status: 'active',
    extended: false,
  };
}

function validateSeats(rules: SaleRules, seatIds: number[], locked: number[]): void {
  const unique = new Set(seatIds);
  if (unique.size !== seatIds.length) {
    const dupes = [...new Set(seatIds.filter((id, i) => seatIds.indexOf(id) !== i))];
    throw new AppError('VALIDATION_FAILED', `Seat ${dupes.join(', ')} is listed more than once.`, {
      errors: [{ path: 'seatIds', message: 'duplicate seat ids' }],
      duplicateSeatIds: dupes,
    });
  }
  if (seatIds.length > rules.perOrderLimit) {
    holdRejections.inc({ code: 'SEAT_LIMIT_EXCEEDED' });
    throw new AppError(
      'SEAT_LIMIT_EXCEEDED',
      `You can hold at most ${countOf(rules.perOrderLimit, 'seat', 'seats')} at once for this event.`,
      { limit: rules.perOrderLimit, scope: 'order' },
    );
  }
  const foreign = [...seatIds.filter((id) => !rules.positions.has(id)), ...locked];
  if (foreign.length) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Seat ${foreign.slice(0, 10).join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not part of this event.`,
      {
        errors: [{ path: 'seatIds', message: 'seats that are not part of this event' }],
        invalidSeatIds: foreign,
      },
    );
  }
}

const seatsUnavailable = (seatIds: number[]) =>
  new AppError(
    'SEATS_UNAVAILABLE',
    `${seatIds.length === 1 ? 'A seat you chose was' : `${seatIds.length} seats you chose were`} just taken by someone else.`,
    {
      unavailableSeatIds: [...seatIds].sort((a, b) => a - b),
    },
  );

type CommitInput = {
  holdId: string;
  eventId: string;
  userId: string;
  seatIds: number[];
  now: Date;
  expiresAt: Date;
  perAccountLimit: number;
  abandon: Budget;
};

type HoldOutcome = {
  outcome: 'held' | 'not_on_sale' | 'limit' | 'taken' | 'abandoned';
  owned: number | null;
  taken: (number | string)[] | null;
  abandoned: number | null;
  abandoned_oldest: Date | string | null;
};

/**
 * PostgreSQL decides, in one round trip: hold_seats() (migration 0005) takes the buyer's advisory lock, checks the
 * sale, the account's limits and the seats with fresh snapshots, and holds all of them or none. A seat taken by a
 * transaction still running when it looked makes it raise serialization_failure: asked again, it answers 'taken'.
 */
async function commitHold(db: Database, input: CommitInput): Promise<void> {
  const { holdId, eventId, userId, seatIds, now, expiresAt, abandon } = input;
  const call = () =>
    rows<HoldOutcome>(
      db,
      sql`select outcome, owned, taken, abandoned, abandoned_oldest
          from hold_seats(${holdId}, ${eventId}, ${userId}, ${`{${[...seatIds].sort((a, b) => a - b).join(',')}}`}::bigint[], ${ts(now)}, ${ts(expiresAt)},
                          ${input.perAccountLimit}, ${ts(new Date(now.getTime() - abandon.windowMs))}, ${abandon.limit})`,
    );
  let result: HoldOutcome | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      [result] = await call();
      break;
    } catch (error) {
      const code = pgErrorCode(error);
      if (attempt >= 3 || (code !== PG.serializationFailure && code !== PG.deadlockDetected)) throw error;
    }
  }
  switch (result?.outcome) {
    case 'held':
      return;
    case 'not_on_sale':
      throw new AppError('EVENT_NOT_ON_SALE', 'This event is not on sale.');
    case 'limit':
      throw new AppError(
        'SEAT_LIMIT_EXCEEDED',
        `You can have at most ${countOf(input.perAccountLimit, 'seat', 'seats')} for this event; you already hold or bought ${result.owned}.`,
        { limit: input.perAccountLimit, scope: 'account', current: result.owned },
      );
    case 'abandoned':
      throw abandonedHolds(result.abandoned ?? abandon.limit, new Date(result.abandoned_oldest ?? now), abandon, now);
    case 'taken':
      throw new SeatsTaken((result.taken ?? []).map(Number));
    default:
      throw new Error(`hold_seats answered ${JSON.stringify(result)}`);
  }
}

/** After PostgreSQL refused seats the filter let through, tell the filter, so the next request stops there. */
async function teachCoordinator(deps: InventoryDeps, eventId: string, seatIds: number[]): Promise<void> {
  const states = await rows<{ id: number | string; status: string; held_until: Date | string | null }>(
    deps.db,
    sql`select id, status, held_until from event_seats where id = any(${`{${seatIds.join(',')}}`}::bigint[])`,
  );
  const marks = states
    .filter((s) => s.status === 'sold' || s.status === 'blocked' || s.status === 'held')
    .map((s) => ({
      seatId: Number(s.id),
      untilMs: s.status === 'held' && s.held_until ? new Date(s.held_until).getTime() : null,
    }));
  if (marks.length) await bestEffort(deps, 'mark taken', () => deps.seats.markTaken(eventId, marks));
}
