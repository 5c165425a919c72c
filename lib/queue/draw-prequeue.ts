import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { queueDraws } from '@/db/schema';
import { eventTag } from '@/lib/coordination/keys';
import type { Leases } from '@/lib/coordination/leases/port';
import { ensureCommitment, publicDraws, type DrawRow } from './draws';
import { drawOrder } from './fairness';
import type { QueueStore } from './store/port';

const CHUNK = 2_000;

export type DrawOutcome = { status: 'drawn' | 'reapplied' | 'busy'; entrants: number };

/** Where a line's draw is recorded: the event's (queue_draws) or a presale's (presale_draws). */
export type DrawRecords = {
  /** The record with its seed, made (and its commitment published) if there is none yet. */
  ensure(): Promise<DrawRow>;
  /** Records the drawn order unless another caller already did: the row when this call decided it. */
  decide(order: string[], now: Date): Promise<DrawRow | undefined>;
  read(): Promise<DrawRow>;
  /** Drops cached public copies. */
  forget(): void;
};

const eventDrawRecords = (db: Database, eventId: string): DrawRecords => ({
  ensure: () => ensureCommitment(db, eventId),
  decide: async (order, now) => {
    const [won] = await db
      .update(queueDraws)
      .set({ drawnAt: now, entrantCount: order.length, entries: order })
      .where(and(eq(queueDraws.eventId, eventId), isNull(queueDraws.drawnAt)))
      .returning();
    return won;
  },
  read: async () => (await db.select().from(queueDraws).where(eq(queueDraws.eventId, eventId)))[0]!,
  forget: () => publicDraws.forget(db, eventId),
});

/**
 * The on-sale draw of an event's pre-queue. One caller at a time (a lease in the coordinator); the order is decided
 * once, by the conditional update that sets drawn_at, and then applied to the coordinator in chunks. A caller that
 * finds the draw decided but not applied (a crash in between) applies the recorded order again, which is harmless.
 */
export function drawPrequeue(
  deps: { db: Database; queue: QueueStore; leases: Leases },
  eventId: string,
  now: Date = new Date(),
): Promise<DrawOutcome> {
  return drawLine(deps, eventId, eventDrawRecords(deps.db, eventId), now);
}

/**
 * A line's draw (the event's, or a presale's under its own line id), recorded and published the same way: the seed
 * committed to before the line's pre-queue opened, the order decided once and reapplied after a crash.
 */
export async function drawLine(
  { queue, leases }: { queue: QueueStore; leases: Leases },
  lineId: string,
  records: DrawRecords,
  now: Date = new Date(),
): Promise<DrawOutcome> {
  const lease = `${eventTag(lineId)}:q:draw-lease`;
  const owner = crypto.randomUUID();
  if (!(await leases.acquire(lease, owner, 120_000))) return { status: 'busy', entrants: 0 };
  try {
    let row = await records.ensure();
    let status: DrawOutcome['status'] = 'reapplied';
    if (!row.drawnAt) {
      const entrants = await queue.closePrequeue(lineId);
      const won = await records.decide(drawOrder(row.seed, entrants), now);
      if (won) status = 'drawn';
      row = won ?? (await records.read());
    }
    const entries = row.entries ?? [];
    for (let i = 0; i < entries.length || i === 0; i += CHUNK) {
      await queue.applyDraw(lineId, entries.slice(i, i + CHUNK), i, i + CHUNK >= entries.length);
    }
    records.forget();
    return { status, entrants: entries.length };
  } finally {
    await leases.release(lease, owner).catch(() => {});
  }
}
