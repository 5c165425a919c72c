import 'server-only';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { queueDraws } from '@/db/schema';
import { commitmentOf, newSeed } from './fairness';
import { memoizePerDb } from './memo';

export type PublicDraw = {
  commitment: string;
  committedAt: Date;
  /** Revealed once drawn, never before. */
  seed: string | null;
  drawnAt: Date | null;
  entrantCount: number | null;
};

/**
 * Creates the event's draw seed and commitment if there is none yet; the first caller wins, later ones read it.
 * Called before anyone can enter the pre-queue, so the seed is fixed before the entrants are known.
 */
export async function ensureCommitment(db: Database, eventId: string): Promise<typeof queueDraws.$inferSelect> {
  const seed = newSeed();
  await db
    .insert(queueDraws)
    .values({ eventId, seed, seedCommitment: commitmentOf(seed) })
    .onConflictDoNothing();
  const [row] = await db.select().from(queueDraws).where(eq(queueDraws.eventId, eventId));
  publicDraws.forget(db, eventId);
  return row!;
}

/** The columns every draw record has (queue_draws, presale_draws). */
export type DrawRow = {
  seedCommitment: string;
  seed: string;
  committedAt: Date;
  drawnAt: Date | null;
  entrantCount: number | null;
  entries: string[] | null;
};

export const toPublicDraw = (row: DrawRow): PublicDraw => ({
  commitment: row.seedCommitment,
  committedAt: row.committedAt,
  seed: row.drawnAt ? row.seed : null,
  drawnAt: row.drawnAt,
  entrantCount: row.drawnAt ? row.entrantCount : null,
});

/** The public part of the draw (no seed before the draw), cached for two seconds. */
export const publicDraws = memoizePerDb<Database, PublicDraw | null>(2_000, async (db, eventId) => {
  const [row] = await db.select().from(queueDraws).where(eq(queueDraws.eventId, eventId));
  return row ? toPublicDraw(row) : null;
});

/** Everything needed to verify a finished draw: commitment, seed and the anonymised entries in drawn order. */
export async function getDrawRecord(
  db: Database,
  eventId: string,
): Promise<(PublicDraw & { entries: string[] | null }) | null> {
  const [row] = await db.select().from(queueDraws).where(eq(queueDraws.eventId, eventId));
  if (!row) return null;
  return { ...toPublicDraw(row), entries: row.drawnAt ? (row.entries ?? []) : null };
}
