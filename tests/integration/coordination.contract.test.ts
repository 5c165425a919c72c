import { afterAll, describe, expect, it } from 'vitest';
import type { Coordinator } from '@/lib/coordination';
import { allAdapters } from '../support/coordinator';

const newEvent = () => crypto.randomUUID();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One suite, every adapter: the in-process one and Redis over TCP and HTTP must behave alike. */
for (const adapter of allAdapters()) {
  describe(`coordinator contract: ${adapter.name}`, () => {
    let c: Coordinator;
    const get = async () => (c ??= await adapter.create());
    afterAll(async () => {
      await c?.close();
      await adapter.close?.();
    });

    it('answers ping', async () => {
      await expect((await get()).ping()).resolves.toBeUndefined();
    });

    it('claims all seats or none', async () => {
      const co = await get();
      const ev = newEvent();
      expect(await co.claimSeats(ev, [1, 2, 3], 'alice', 10_000)).toEqual({ ok: true, fresh: [1, 2, 3] });
      expect(await co.claimSeats(ev, [3, 4, 5], 'bob', 10_000)).toEqual({ ok: false, taken: [3] });
      // Seat 4 and 5 were not claimed by the failed attempt: carol gets them.
      expect(await co.claimSeats(ev, [4, 5], 'carol', 10_000)).toEqual({ ok: true, fresh: [4, 5] });
    });

    it('lets the owner claim again and reports only the fresh seats', async () => {
      const co = await get();
      const ev = newEvent();
      await co.claimSeats(ev, [1, 2], 'alice', 10_000);
      expect(await co.claimSeats(ev, [2, 3], 'alice', 10_000)).toEqual({ ok: true, fresh: [3] });
    });

    it('keeps events apart', async () => {
      const co = await get();
      const [a, b] = [newEvent(), newEvent()];
      await co.claimSeats(a, [7], 'alice', 10_000);
      expect(await co.claimSeats(b, [7], 'bob', 10_000)).toEqual({ ok: true, fresh: [7] });
    });

    it('expires claims after their ttl', async () => {
      const co = await get();
      const ev = newEvent();
      await co.claimSeats(ev, [1], 'alice', 300);
      await sleep(700);
      expect(await co.claimSeats(ev, [1], 'bob', 10_000)).toEqual({ ok: true, fresh: [1] });
    });

    it('releases only the owner’s claims', async () => {
      const co = await get();
      const ev = newEvent();
      await co.claimSeats(ev, [1], 'alice', 10_000);
      await co.releaseSeats(ev, [1], 'mallory');
      expect((await co.claimSeats(ev, [1], 'bob', 10_000)).ok).toBe(false);
      await co.releaseSeats(ev, [1], 'alice');
      expect((await co.claimSeats(ev, [1], 'bob', 10_000)).ok).toBe(true);
    });

    it('extends only the owner’s claims', async () => {
      const co = await get();
      const ev = newEvent();
      await co.claimSeats(ev, [1, 2], 'alice', 300);
      expect(await co.extendSeats(ev, [1, 2, 3], 'alice', 10_000)).toBe(2);
      expect(await co.extendSeats(ev, [1], 'bob', 10_000)).toBe(0);
      await sleep(700);
      expect((await co.claimSeats(ev, [1], 'bob', 10_000)).ok).toBe(false);
    });

    it('remembers sold seats without expiry and held seats until their time', async () => {
      const co = await get();
      const ev = newEvent();
      await co.markTaken(ev, [
        { seatId: 1, untilMs: null },
        { seatId: 2, untilMs: Date.now() + 1_000 },
        { seatId: 3, untilMs: Date.now() - 1_000 },
      ]);
      expect(await co.claimSeats(ev, [1], 'bob', 10_000)).toEqual({ ok: false, taken: [1] });
      expect(await co.claimSeats(ev, [2], 'bob', 10_000)).toEqual({ ok: false, taken: [2] });
      expect(await co.claimSeats(ev, [3], 'bob', 10_000)).toEqual({ ok: true, fresh: [3] });
      await sleep(1_300);
      expect(await co.claimSeats(ev, [2], 'bob', 10_000)).toEqual({ ok: true, fresh: [2] });
    });

    it('clears seats whatever their owner', async () => {
      const co = await get();
      const ev = newEvent();
      await co.markTaken(ev, [{ seatId: 1, untilMs: null }]);
      await co.claimSeats(ev, [2], 'alice', 10_000);
      await co.clearSeats(ev, [1, 2]);
      expect(await co.claimSeats(ev, [1, 2], 'bob', 10_000)).toEqual({ ok: true, fresh: [1, 2] });
    });

    it('gives each seat to exactly one of many concurrent claimants', async () => {
      const co = await get();
      const ev = newEvent();
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => co.claimSeats(ev, [1, 2], `buyer-${i}`, 10_000)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    });
  });
}
