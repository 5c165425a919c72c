import { describe, expect, it } from 'vitest';
import { MemoryCoordinator } from '@/lib/coordination/memory';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { auditInventory, extendHold, placeHold, releaseHold, sweepExpiredHolds } from '@/lib/inventory';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUsers } from '../support/fixtures';
import { fakeClock, seatIdsOf, statusCounts, testDeps } from '../support/inventory';

/**
 * A history check: thousands of random holds, releases, extensions and expiries (a fake clock moves time), in
 * small concurrent batches, with the invariants audited at every checkpoint:
 * available + held + sold = capacity, and every held seat has exactly one live hold.
 */
describe('hold history', () => {
  const { handle } = useTestDatabase();

  it('keeps the invariants through 3,000 random operations', async () => {
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 6,
      seatsPerRow: 10,
      event: { perOrderLimit: 4, perAccountLimit: 8, holdMinutes: 5 },
    });
    const seats = await seatIdsOf(handle(), event.id);
    const buyers = await createUsers(handle().db, 25);
    const clock = fakeClock();
    const deps = testDeps(handle(), new MemoryCoordinator(clock.ms), clock.now);
    let seed = 20261122;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    const live: { hold: HoldResponse; userId: string }[] = [];
    const outcomes: Record<string, number> = {};
    const note = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);

    const operation = async () => {
      const r = random();
      if (r < 0.5 || live.length === 0) {
        const userId = pick(buyers).id;
        const n = 1 + Math.floor(random() * 4);
        const start = Math.floor(random() * (seats.length - n));
        try {
          const hold = await placeHold(deps, { eventId: event.id, userId, seatIds: seats.slice(start, start + n) });
          live.push({ hold, userId });
          note('held');
        } catch (error) {
          note((error as { code?: string }).code ?? 'error');
          if (!(error as { code?: string }).code) throw error;
        }
      } else if (r < 0.7) {
        const entry = live.splice(Math.floor(random() * live.length), 1)[0]!;
        await releaseHold(deps, entry.hold.id, entry.userId);
        note('released');
      } else if (r < 0.8) {
        const entry = pick(live);
        try {
          await extendHold(deps, entry.hold.id, entry.userId);
          note('extended');
        } catch (error) {
          note((error as { code?: string }).code ?? 'error');
          if (!['HOLD_ALREADY_EXTENDED', 'HOLD_NOT_ACTIVE'].includes((error as { code?: string }).code ?? ''))
            throw error;
        }
      } else if (r < 0.95) {
        clock.advance(Math.floor(random() * 90_000));
        note('time passed');
      } else {
        await sweepExpiredHolds(deps);
        note('swept');
      }
    };

    for (let step = 0; step < 300; step++) {
      // Ten operations at once: the engine sees concurrency, the history stays reproducible enough to debug.
      await Promise.all(Array.from({ length: 10 }, operation));
      if (step % 10 === 9) {
        const audit = await auditInventory(handle().db, clock.now(), [event.id]);
        expect(audit.violations, `after ${(step + 1) * 10} operations`).toEqual([]);
        const counts = await statusCounts(handle(), event.id);
        expect(counts.available + counts.held + counts.sold + counts.blocked).toBe(seats.length);
      }
    }
    expect(outcomes.held).toBeGreaterThan(300);
    expect(outcomes.released).toBeGreaterThan(100);
    expect(outcomes.SEATS_UNAVAILABLE).toBeGreaterThan(50);
    expect(outcomes.extended).toBeGreaterThan(20);
  });
});
