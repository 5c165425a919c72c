import 'server-only';
import { createHash } from 'node:crypto';
import { and, eq, lte } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { idempotencyKeys } from '@/db/schema';
import { AppError, ERROR_CODES, isAppError, toProblem, type ErrorCode } from '@/lib/errors';

export type IdempotentRequest = {
  userId: string;
  /** What the key is for, e.g. "checkout": the same key may be used once per scope and account. */
  scope: string;
  key: string;
  /** The parsed request; its hash tells a replay from a reuse with another body. */
  request: unknown;
};

export type IdempotencyOptions = {
  now?: () => Date;
  /** How long a first request owns the key before a retry may take over (longer than any payment call). */
  lockMs?: number;
  /** How long a concurrent duplicate waits for the first before answering 409. */
  waitMs?: number;
  pollMs?: number;
};

/** Keys are kept 24 hours (the schema refuses less); a purge removes older ones. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Runs `run` at most once per (account, scope, key) and stores its answer:
 * - a replay (same key, same request) returns the stored answer, errors included, without running anything;
 * - the same key with a different request is 422 IDEMPOTENCY_KEY_REUSED;
 * - a concurrent duplicate waits for the first to finish, or gets 409 IDEMPOTENCY_KEY_IN_PROGRESS after `waitMs`.
 * The row is claimed by an insert under the unique constraint, so two racing requests cannot both run.
 *
 * `run` receives the record's id, a stable name for this attempt that survives retries (checkout uses it as the
 * order id). After an unexpected failure (5xx) the key is unlocked but kept, so a retry runs `run` again with the
 * same record id: `run` must be resumable.
 */
export async function withIdempotency<T>(
  db: Database,
  request: IdempotentRequest,
  run: (recordId: string) => Promise<T>,
  options: IdempotencyOptions & {
    /**
     * The answer when the record's work is already final although the key is still in progress (its first request
     * died between the commit and storing the answer): checkout answers from the paid or failed order at once
     * instead of making the retry wait for the dead request's lock (bench/chaos/crash.ts).
     */
    settled?: (recordId: string) => Promise<T | undefined>;
  } = {},
): Promise<T> {
  const now = options.now ?? (() => new Date());
  const lockMs = options.lockMs ?? IDEMPOTENCY_LOCK_MS;
  const waitUntil = Date.now() + (options.waitMs ?? 10_000);
  const pollMs = options.pollMs ?? 50;
  const requestHash = hashRequest(request.request);
  const where = and(
    eq(idempotencyKeys.userId, request.userId),
    eq(idempotencyKeys.scope, request.scope),
    eq(idempotencyKeys.key, request.key),
  );

  for (;;) {
    const at = now();
    const lock = new Date(at.getTime() + lockMs);
    const [claimed] = await db
      .insert(idempotencyKeys)
      .values({
        userId: request.userId,
        scope: request.scope,
        key: request.key,
        requestHash,
        status: 'in_progress',
        lockedUntil: lock,
        createdAt: at,
        expiresAt: new Date(at.getTime() + IDEMPOTENCY_RETENTION_MS),
      })
      .onConflictDoNothing()
      .returning({ id: idempotencyKeys.id });
    if (claimed) return execute(db, claimed.id, lock, run);

    const [row] = await db.select().from(idempotencyKeys).where(where);
    if (!row) continue; // purged as expired a moment ago: claim it again
    if (row.expiresAt <= at) {
      await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.id, row.id), lte(idempotencyKeys.expiresAt, at)));
      continue;
    }
    if (row.requestHash !== requestHash) {
      throw new AppError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
      );
    }
    if (row.status === 'completed') return replay<T>(row.responseStatus!, row.responseBody);

    if (row.lockedUntil && row.lockedUntil <= at) {
      // The first request died without an answer: take the key over, once, by a conditional update.
      const [taken] = await db
        .update(idempotencyKeys)
        .set({ lockedUntil: lock })
        .where(
          and(
            eq(idempotencyKeys.id, row.id),
            eq(idempotencyKeys.status, 'in_progress'),
            eq(idempotencyKeys.lockedUntil, row.lockedUntil),
          ),
        )
        .returning({ id: idempotencyKeys.id });
      if (taken) return execute(db, taken.id, lock, run);
      continue;
    }
    const settled = await options.settled?.(row.id);
    if (settled !== undefined) return settled;
    if (Date.now() >= waitUntil) {
      throw new AppError(
        'IDEMPOTENCY_KEY_IN_PROGRESS',
        'The first request with this Idempotency-Key is still running. Try again in a moment.',
        { retryAfter: 1 },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function execute<T>(db: Database, id: string, lock: Date, run: (recordId: string) => Promise<T>): Promise<T> {
  let value: T;
  try {
    value = await run(id);
  } catch (error) {
    await settleIdempotency(db, { id, lock }, { error });
    throw error;
  }
  await settleIdempotency(db, { id, lock }, { value });
  return value;
}

/**
 * Stores the answer of a claimed key (its holder still holding it, locked until `lock`): a value or a refusal (4xx)
 * completes it and later replays repeat it. After anything unexpected (a crash, the provider timing out) the outcome
 * is unknown, so the key stays with the same record id (the order id), unlocked, and a retry takes it over at once
 * and resumes the same order.
 */
export async function settleIdempotency(
  db: Database,
  key: { id: string; lock: Date },
  outcome: { value: unknown } | { error: unknown },
): Promise<void> {
  const mine = and(
    eq(idempotencyKeys.id, key.id),
    eq(idempotencyKeys.status, 'in_progress'),
    eq(idempotencyKeys.lockedUntil, key.lock),
  );
  if ('value' in outcome) {
    await db
      .update(idempotencyKeys)
      .set({ status: 'completed', responseStatus: 200, responseBody: outcome.value ?? null, lockedUntil: null })
      .where(mine);
  } else if (isAppError(outcome.error) && outcome.error.status < 500) {
    await db
      .update(idempotencyKeys)
      .set({
        status: 'completed',
        responseStatus: outcome.error.status,
        responseBody: toProblem(outcome.error),
        lockedUntil: null,
      })
      .where(mine);
  } else {
    await db
      .update(idempotencyKeys)
      .set({ lockedUntil: new Date(0) })
      .where(mine);
  }
}

/** How long a first request owns its key before a retry may take over (longer than any payment call). */
export const IDEMPOTENCY_LOCK_MS = 60_000;

function replay<T>(status: number, body: unknown): T {
  if (status < 400) return body as T;
  const problem = body as { code?: string; detail?: string } & Record<string, unknown>;
  const code = (problem.code && problem.code in ERROR_CODES ? problem.code : 'INTERNAL') as ErrorCode;
  const { type: _type, title: _title, status: _status, detail, code: _code, ...extras } = problem;
  throw new AppError(code, detail, extras);
}

/** sha256 of the request as canonical JSON (object keys sorted), so key order never matters. */
export function hashRequest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Removes answers older than their retention (run by the reconciliation job). */
export async function purgeIdempotencyKeys(db: Database, now: Date): Promise<number> {
  const gone = await db
    .delete(idempotencyKeys)
    .where(lte(idempotencyKeys.expiresAt, now))
    .returning({ id: idempotencyKeys.id });
  return gone.length;
}
