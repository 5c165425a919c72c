import { describe, expect, it } from 'vitest';
import type { QueuePolicy } from '@/lib/queue/store/port';
import { isAppError } from '@/lib/errors';
import { commitmentOf, drawOrder } from '@/lib/queue/fairness';
import { getPublishedDraw } from '@/lib/queue/get-published-draw';
import { getQueueStatus } from '@/lib/queue/get-queue-status';
import { joinQueue } from '@/lib/queue/join-queue';
import { runQueueTick } from '@/lib/queue/run-queue-tick';
import { visitorId } from '@/lib/queue/visitor-id';
import { CHI_SQUARE_CRITICAL_0_001, chiSquare, deterministicSeed } from '../support/chi-square';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';

const MINUTE = 60_000;

describe('pre-queue draw (in-process, or real Redis with REDIS_URL)', () => {
  const { handle } = useTestDatabase();
  const { coordinator } = useTestCoordinator();

  it('shuffles the entrants at the on-sale, ahead of later arrivals, in an order anyone can recompute from the revealed seed', async () => {
    const db = handle().db;
    const t0 = Date.now();
    const onSaleAt = new Date(t0 + 10 * MINUTE);
    const { event } = await createOnSaleEvent(db, {
      event: { onSaleAt, prequeueOpensAt: new Date(t0 - MINUTE), queueCapacity: 5, admissionRatePerMinute: 600 },
    });
    const deps = (at: number) => ({ db, queue: coordinator().queue, leases: coordinator().leases, now: new Date(at) });
    const join = (accountId: string, at: number) =>
      joinQueue(deps(at), { eventId: event.id, accountId, cookieHeader: null });
    const status = (accountId: string, at: number) =>
      getQueueStatus(deps(at), { eventId: event.id, accountId, cookieHeader: null });

    // Before the pre-queue opens nobody can join.
    const early = await join(crypto.randomUUID(), t0 - 2 * MINUTE).catch((e: unknown) => e);
    expect(isAppError(early) && early.code).toBe('EVENT_NOT_ON_SALE');
    expect((await status(crypto.randomUUID(), t0 - 2 * MINUTE)).status.state).toBe('not-open');

    // 40 people arrive one after another during the pre-queue; the commitment is public, the seed is not.
    const accounts = Array.from({ length: 40 }, () => crypto.randomUUID());
    for (const [i, accountId] of accounts.entries()) {
      const { status: s } = await join(accountId, t0 + i * 1_000);
      expect(s).toMatchObject({ state: 'prequeue', ticket: i + 1, position: null });
      expect(s.fairness?.seed).toBeNull();
    }
    const before = await getPublishedDraw(db, event.id);
    expect(before).toMatchObject({ seed: null, drawnAt: null, entries: null });
    expect(before.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect((await status(accounts[0]!, t0 + 60_000)).status.fairness?.commitment).toBe(before.commitment);

    // Sales open; someone arrives right then. The first caller after the on-sale runs the draw.
    const late = await join(crypto.randomUUID(), onSaleAt.getTime() + 1_000);
    expect(late.status).toMatchObject({ state: 'waiting', position: 41 - 5, ticket: 41 });

    const after = await getPublishedDraw(db, event.id);
    expect(after.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(commitmentOf(after.seed!)).toBe(before.commitment);
    expect(after.entrantCount).toBe(40);
    const arrivalOrder = accounts.map((a) => visitorId(event.id, a));
    expect(new Set(after.entries)).toEqual(new Set(arrivalOrder));
    // Anyone can recompute the published order from the revealed seed...
    expect(drawOrder(after.seed!, arrivalOrder)).toEqual(after.entries);
    // ...it is not the arrival order...
    expect(after.entries).not.toEqual(arrivalOrder);
    // ...and it is the order of the line: the first five are admitted, the others wait in drawn order.
    for (const [i, accountId] of accounts.entries()) {
      const place = after.entries!.indexOf(arrivalOrder[i]!);
      const { status: s } = await status(accountId, onSaleAt.getTime() + 2_000);
      if (place < 5) expect(s.state).toBe('admitted');
      else expect(s).toMatchObject({ state: 'waiting', position: place - 4, ticket: null });
      expect(s.fairness?.seed).toBe(after.seed);
    }

    // A scheduler tick later finds nothing left to draw.
    expect(await runQueueTick(deps(onSaleAt.getTime() + 3_000))).toMatchObject({ draws: 0 });
  });

  it('the scheduler commits a seed before the pre-queue opens and draws an empty pre-queue at the on-sale', async () => {
    const db = handle().db;
    const t0 = Date.now();
    const onSaleAt = new Date(t0 + 30 * MINUTE);
    const { event } = await createOnSaleEvent(db, { event: { onSaleAt, prequeueOpensAt: new Date(t0 + 5 * MINUTE) } });
    const tick = (at: number) =>
      runQueueTick({ db, queue: coordinator().queue, leases: coordinator().leases, now: new Date(at) });
    await tick(t0);
    await expect(getPublishedDraw(db, event.id)).rejects.toThrow(/no pre-queue draw yet/);
    expect((await tick(t0 + 4.5 * MINUTE)).commitments).toBe(1);
    expect((await getPublishedDraw(db, event.id)).seed).toBeNull();
    expect((await tick(onSaleAt.getTime())).draws).toBe(1);
    expect(await getPublishedDraw(db, event.id)).toMatchObject({ entrantCount: 0, entries: [] });
  });

  it('applies draws faithfully: over many draws no arrival position is favoured (chi-square)', async () => {
    const co = coordinator();
    const n = 8;
    const runs = 320;
    const counts = Array.from({ length: n }, () => Array<number>(n).fill(0));
    const policy = (prequeue: boolean): QueuePolicy => ({
      capacity: 1_000,
      ratePerMinute: 1,
      burst: 1,
      windowMs: MINUTE,
      prequeue,
    });
    const t = Date.now();
    for (let batch = 0; batch < runs; batch += 40) {
      await Promise.all(
        Array.from({ length: 40 }, async (_, k) => {
          const ev = crypto.randomUUID();
          const arrivals = Array.from({ length: n }, (_, i) => `qchi${batch + k}a${i}`);
          for (const v of arrivals) await co.queue.join(ev, v, t, policy(true));
          const entrants = await co.queue.closePrequeue(ev);
          expect(entrants).toEqual(arrivals);
          await co.queue.applyDraw(ev, drawOrder(deterministicSeed(`chi-${batch + k}`), entrants), 0, true);
          // The bucket admits one (burst 1): count places as admission (place 1) or position in line (2..n).
          for (const [i, v] of arrivals.entries()) {
            const { entry } = await co.queue.status(ev, v, t, policy(false));
            const place = entry.state === 'admitted' ? 0 : entry.state === 'waiting' ? entry.position : -1;
            counts[i]![place]!++;
          }
        }),
      );
    }
    const { statistic, dof } = chiSquare(counts, runs / n);
    expect(statistic).toBeLessThan(CHI_SQUARE_CRITICAL_0_001(dof));
  });
});
