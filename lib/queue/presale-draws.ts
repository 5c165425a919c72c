import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { presaleDraws } from '@/db/schema';
import type { DrawRecords } from './draw-prequeue';
import { toPublicDraw, type PublicDraw } from './draws';
import { commitmentOf, newSeed } from './fairness';
import { memoizePerDb } from './memo';

/**
 * A presale line's draw record (presale_draws), published like the event's (docs/fairness.md): the seed is made and
 * its commitment stored before the line's pre-queue opens; the seed and the drawn entries from the draw on.
 */
export async function ensurePresaleCommitment(
  db: Database,
  eventId: string,
  presaleId: string,
): Promise<typeof presaleDraws.$inferSelect> {
  const seed = newSeed();
  await db
    .insert(presaleDraws)
    .values({ presaleId, eventId, seed, seedCommitment: commitmentOf(seed) })
    .onConflictDoNothing();
  const [row] = await db.select().from(presaleDraws).where(eq(presaleDraws.presaleId, presaleId));
  publicPresaleDraws.forget(db, presaleId);
  return row!;
}

/** The public part of a presale's draw (no seed before the draw), cached for two seconds, by presale id. */
export const publicPresaleDraws = memoizePerDb<Database, PublicDraw | null>(2_000, async (db, presaleId) => {
  const [row] = await db.select().from(presaleDraws).where(eq(presaleDraws.presaleId, presaleId));
  return row ? toPublicDraw(row) : null;
});

/** Everything needed to verify a presale's finished draw; null when this event has no such presale draw. */
export async function getPresaleDrawRecord(
  db: Database,
  eventId: string,
  presaleId: string,
): Promise<(PublicDraw & { entries: string[] | null }) | null> {
  const [row] = await db
    .select()
    .from(presaleDraws)
    .where(and(eq(presaleDraws.presaleId, presaleId), eq(presaleDraws.eventId, eventId)));
  if (!row) return null;
  return { ...toPublicDraw(row), entries: row.drawnAt ? (row.entries ?? []) : null };
}

/** The presale's record, for the one draw code path (draw-prequeue.ts). */
export const presaleDrawRecords = (db: Database, eventId: string, presaleId: string): DrawRecords => ({
  ensure: () => ensurePresaleCommitment(db, eventId, presaleId),
  decide: async (order, now) => {
    const [won] = await db
      .update(presaleDraws)
      .set({ drawnAt: now, entrantCount: order.length, entries: order })
      .where(and(eq(presaleDraws.presaleId, presaleId), isNull(presaleDraws.drawnAt)))
      .returning();
    return won;
  },
  read: async () => (await db.select().from(presaleDraws).where(eq(presaleDraws.presaleId, presaleId)))[0]!,
  forget: () => publicPresaleDraws.forget(db, presaleId),
});
