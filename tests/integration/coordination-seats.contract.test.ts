import { expect, it, describe } from 'vitest';
import { eventLimitKey } from '@/lib/coordination/seats/port';
import { forEachAdapter, newEvent, sleep, openQueue as open, visitor as vis } from '../support/coordinator';

/** The seat filter (lib/coordination/seats): every adapter this machine has must behave alike. */
forEachAdapter('seat filter contract', (get) => {
  it('claims all seats or none', async () => {
    const co = await get();
    const ev = newEvent();
    expect(await co.seats.claim(ev, [1, 2, 3], 'alice', 10_000)).toEqual({ ok: true, fresh: [1, 2, 3] });
    expect(await co.seats.claim(ev, [3, 4, 5], 'bob', 10_000)).toEqual({ ok: false, taken: [3] });
    // Seat 4 and 5 were not claimed by the failed attempt: carol gets them.
    expect(await co.seats.claim(ev, [4, 5], 'carol', 10_000)).toEqual({ ok: true, fresh: [4, 5] });
  });

  it('lets the owner claim again and reports only the fresh seats', async () => {
    const co = await get();
    const ev = newEvent();
    await co.seats.claim(ev, [1, 2], 'alice', 10_000);
    expect(await co.seats.claim(ev, [2, 3], 'alice', 10_000)).toEqual({ ok: true, fresh: [3] });
  });

  it('keeps events apart', async () => {
    const co = await get();
    const [a, b] = [newEvent(), newEvent()];
    await co.seats.claim(a, [7], 'alice', 10_000);
    expect(await co.seats.claim(b, [7], 'bob', 10_000)).toEqual({ ok: true, fresh: [7] });
  });

  it('expires claims after their ttl', async () => {
    const co = await get();
    const ev = newEvent();
    await co.seats.claim(ev, [1], 'alice', 300);
    await sleep(700);
    expect(await co.seats.claim(ev, [1], 'bob', 10_000)).toEqual({ ok: true, fresh: [1] });
  });

  it('releases only the owner’s claims', async () => {
    const co = await get();
    const ev = newEvent();
    await co.seats.claim(ev, [1], 'alice', 10_000);
    await co.seats.release(ev, [1], 'mallory');
    expect((await co.seats.claim(ev, [1], 'bob', 10_000)).ok).toBe(false);
    await co.seats.release(ev, [1], 'alice');
    expect((await co.seats.claim(ev, [1], 'bob', 10_000)).ok).toBe(true);
  });

  it('extends only the owner’s claims', async () => {
    const co = await get();
    const ev = newEvent();
    await co.seats.claim(ev, [1, 2], 'alice', 300);
    expect(await co.seats.extend(ev, [1, 2, 3], 'alice', 10_000)).toBe(2);
    expect(await co.seats.extend(ev, [1], 'bob', 10_000)).toBe(0);
    await sleep(700);
    expect((await co.seats.claim(ev, [1], 'bob', 10_000)).ok).toBe(false);
  });

  it('remembers sold seats without expiry and held seats until their time', async () => {
    const co = await get();
    const ev = newEvent();
    await co.seats.markTaken(ev, [
      { seatId: 1, untilMs: null },
      { seatId: 2, untilMs: Date.now() + 1_000 },
      { seatId: 3, untilMs: Date.now() - 1_000 },
    ]);
    expect(await co.seats.claim(ev, [1], 'bob', 10_000)).toEqual({ ok: false, taken: [1] });
    expect(await co.seats.claim(ev, [2], 'bob', 10_000)).toEqual({ ok: false, taken: [2] });
    expect(await co.seats.claim(ev, [3], 'bob', 10_000)).toEqual({ ok: true, fresh: [3] });
    await sleep(1_300);
    expect(await co.seats.claim(ev, [2], 'bob', 10_000)).toEqual({ ok: true, fresh: [2] });
  });

  it('clears seats whatever their owner', async () => {
    const co = await get();
    const ev = newEvent();
    await co.seats.markTaken(ev, [{ seatId: 1, untilMs: null }]);
    await co.seats.claim(ev, [2], 'alice', 10_000);
    await co.seats.clear(ev, [1, 2]);
    expect(await co.seats.claim(ev, [1, 2], 'bob', 10_000)).toEqual({ ok: true, fresh: [1, 2] });
  });

  it('gives each seat to exactly one of many concurrent claimants', async () => {
    const co = await get();
    const ev = newEvent();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => co.seats.claim(ev, [1, 2], `buyer-${i}`, 10_000)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  describe('guarded claims (a hold: admission, budgets and seats in one step)', () => {
    const t0 = 1_900_000_020_000; // the start of a minute
    const budget = (ev: string, who: string, limit: number) => ({
      key: eventLimitKey(ev, 'holds', who),
      limit,
      windowMs: 60_000,
    });

    it('refuses a claim whose admission was ended early, claiming and counting nothing', async () => {
      const co = await get();
      const ev = newEvent();
      const p = open({ capacity: 5 });
      const joined = await co.queue.join(ev, vis(1), t0, p);
      const untilMs = joined.entry.state === 'admitted' ? joined.entry.untilMs : 0;
      const guard = (nowMs: number) => ({
        nowMs,
        admission: { visitor: vis(1), untilMs },
        limits: [budget(ev, 'acct:a', 1)],
      });
      await co.queue.leave(ev, vis(1), t0 + 1_000, p);
      expect(await co.seats.claim(ev, [1], 'alice', 10_000, guard(t0 + 2_000))).toEqual({
        ok: false,
        admissionEnded: true,
      });
      // Nothing was claimed and the budget of one is untouched: another buyer gets the seat, and a later window may use the budget.
      expect(await co.seats.claim(ev, [1], 'bob', 10_000)).toEqual({ ok: true, fresh: [1] });
      expect(
        await co.seats.claim(ev, [2], 'alice', 10_000, {
          ...guard(t0 + 3_000),
          admission: { visitor: vis(1), untilMs: untilMs + 5_000 },
        }),
      ).toEqual({ ok: true, fresh: [2] });
    });

    it('counts every budget only when all have room, and answers which one is spent until when', async () => {
      const co = await get();
      const ev = newEvent();
      const limits = [budget(ev, 'acct:alice', 3), budget(ev, 'ip:198.51.100.7', 2)];
      const at = t0 + 10_000; // 10 s into a 60 s window
      expect(await co.seats.claim(ev, [1], 'alice', 10_000, { nowMs: at, limits })).toEqual({ ok: true, fresh: [1] });
      // bob takes seat 2 first; alice's refused attempt on it still counts (the request was made).
      await co.seats.claim(ev, [2], 'bob', 10_000);
      expect(await co.seats.claim(ev, [2], 'alice', 10_000, { nowMs: at + 1, limits })).toEqual({
        ok: false,
        taken: [2],
      });
      // The address's budget of two is spent: refused before the seats are looked at, and the account's is not counted.
      expect(await co.seats.claim(ev, [3], 'alice', 10_000, { nowMs: at + 2, limits })).toEqual({
        ok: false,
        limited: { limit: 1, resetMs: t0 + 60_000 },
      });
      expect(await co.seats.claim(ev, [3], 'carol', 10_000)).toEqual({ ok: true, fresh: [3] });
      // The account had two counted of three: one more from another address goes through, then it is spent.
      const other = [limits[0]!, budget(ev, 'ip:203.0.113.9', 2)];
      expect(await co.seats.claim(ev, [4], 'alice', 10_000, { nowMs: at + 3, limits: other })).toEqual({
        ok: true,
        fresh: [4],
      });
      expect(await co.seats.claim(ev, [5], 'alice', 10_000, { nowMs: at + 4, limits: other })).toMatchObject({
        ok: false,
        limited: { limit: 0 },
      });
      // Budgets are the event's: the same names on another event start afresh.
      const elsewhere = newEvent();
      expect(
        await co.seats.claim(elsewhere, [1], 'alice', 10_000, {
          nowMs: at + 5,
          limits: [budget(elsewhere, 'acct:alice', 3)],
        }),
      ).toEqual({ ok: true, fresh: [1] });
    });

    it('weighs the previous window by its share still inside the sliding window', async () => {
      const co = await get();
      const ev = newEvent();
      const limits = [budget(ev, 'acct:alice', 4)];
      for (let i = 0; i < 4; i++)
        expect((await co.seats.claim(ev, [i], 'alice', 10_000, { nowMs: t0 + 59_000, limits })).ok).toBe(true);
      // A quarter into the next window, three quarters of the previous four still count: one more fits, not two.
      expect((await co.seats.claim(ev, [10], 'alice', 10_000, { nowMs: t0 + 75_000, limits })).ok).toBe(true);
      expect(await co.seats.claim(ev, [11], 'alice', 10_000, { nowMs: t0 + 75_000, limits })).toEqual({
        ok: false,
        limited: { limit: 0, resetMs: t0 + 120_000 },
      });
    });
  });
});
