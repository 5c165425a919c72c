import { afterAll, describe, expect, it } from 'vitest';
import type { Coordinator } from '@/lib/coordination';
import { eventLimitKey, type QueuePolicy } from '@/lib/coordination/port';
import { allAdapters } from '../support/coordinator';

const newEvent = () => crypto.randomUUID();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const open = (p: Partial<QueuePolicy> = {}): QueuePolicy => ({ capacity: 2, ratePerMinute: 6_000, burst: 100, windowMs: 60_000, prequeue: false, ...p });
/** Visitor ids as lib/queue makes them: a letter first, so no client ever reads one as a number. */
const vis = (i: number) => `qv${String(i).padStart(6, '0')}`;

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

    describe('guarded claims (a hold: admission, budgets and seats in one step)', () => {
      const t0 = 1_900_000_020_000; // the start of a minute
      const budget = (ev: string, who: string, limit: number) => ({ key: eventLimitKey(ev, 'holds', who), limit, windowMs: 60_000 });

      it('refuses a claim whose admission was ended early, claiming and counting nothing', async () => {
        const co = await get();
        const ev = newEvent();
        const p = open({ capacity: 5 });
        const joined = await co.queueJoin(ev, vis(1), t0, p);
        const untilMs = joined.entry.state === 'admitted' ? joined.entry.untilMs : 0;
        const guard = (nowMs: number) => ({ nowMs, admission: { visitor: vis(1), untilMs }, limits: [budget(ev, 'acct:a', 1)] });
        await co.queueLeave(ev, vis(1), t0 + 1_000, p);
        expect(await co.claimSeats(ev, [1], 'alice', 10_000, guard(t0 + 2_000))).toEqual({ ok: false, admissionEnded: true });
        // Nothing was claimed and the budget of one is untouched: another buyer gets the seat, and a later window may use the budget.
        expect(await co.claimSeats(ev, [1], 'bob', 10_000)).toEqual({ ok: true, fresh: [1] });
        expect(await co.claimSeats(ev, [2], 'alice', 10_000, { ...guard(t0 + 3_000), admission: { visitor: vis(1), untilMs: untilMs + 5_000 } })).toEqual({ ok: true, fresh: [2] });
      });

      it('counts every budget only when all have room, and answers which one is spent until when', async () => {
        const co = await get();
        const ev = newEvent();
        const limits = [budget(ev, 'acct:alice', 3), budget(ev, 'ip:198.51.100.7', 2)];
        const at = t0 + 10_000; // 10 s into a 60 s window
        expect(await co.claimSeats(ev, [1], 'alice', 10_000, { nowMs: at, limits })).toEqual({ ok: true, fresh: [1] });
        // bob takes seat 2 first; alice's refused attempt on it still counts (the request was made).
        await co.claimSeats(ev, [2], 'bob', 10_000);
        expect(await co.claimSeats(ev, [2], 'alice', 10_000, { nowMs: at + 1, limits })).toEqual({ ok: false, taken: [2] });
        // The address's budget of two is spent: refused before the seats are looked at, and the account's is not counted.
        expect(await co.claimSeats(ev, [3], 'alice', 10_000, { nowMs: at + 2, limits })).toEqual({ ok: false, limited: { limit: 1, resetMs: t0 + 60_000 } });
        expect(await co.claimSeats(ev, [3], 'carol', 10_000)).toEqual({ ok: true, fresh: [3] });
        // The account had two counted of three: one more from another address goes through, then it is spent.
        const other = [limits[0]!, budget(ev, 'ip:203.0.113.9', 2)];
        expect(await co.claimSeats(ev, [4], 'alice', 10_000, { nowMs: at + 3, limits: other })).toEqual({ ok: true, fresh: [4] });
        expect(await co.claimSeats(ev, [5], 'alice', 10_000, { nowMs: at + 4, limits: other })).toMatchObject({ ok: false, limited: { limit: 0 } });
        // Budgets are the event's: the same names on another event start afresh.
        const elsewhere = newEvent();
        expect(await co.claimSeats(elsewhere, [1], 'alice', 10_000, { nowMs: at + 5, limits: [budget(elsewhere, 'acct:alice', 3)] })).toEqual({ ok: true, fresh: [1] });
      });

      it('weighs the previous window by its share still inside the sliding window', async () => {
        const co = await get();
        const ev = newEvent();
        const limits = [budget(ev, 'acct:alice', 4)];
        for (let i = 0; i < 4; i++) expect((await co.claimSeats(ev, [i], 'alice', 10_000, { nowMs: t0 + 59_000, limits })).ok).toBe(true);
        // A quarter into the next window, three quarters of the previous four still count: one more fits, not two.
        expect((await co.claimSeats(ev, [10], 'alice', 10_000, { nowMs: t0 + 75_000, limits })).ok).toBe(true);
        expect(await co.claimSeats(ev, [11], 'alice', 10_000, { nowMs: t0 + 75_000, limits })).toEqual({ ok: false, limited: { limit: 0, resetMs: t0 + 120_000 } });
      });
    });

    describe('waiting room', () => {
      const t0 = 1_900_000_000_000;

      it('admits at once while below capacity, then lines visitors up first come, first served', async () => {
        const co = await get();
        const ev = newEvent();
        const a = await co.queueJoin(ev, vis(1), t0, open());
        expect(a.entry).toEqual({ state: 'admitted', untilMs: t0 + 60_000 });
        expect(a.admitted).toEqual([vis(1)]);
        expect(a.joined).toBe(1);
        await co.queueJoin(ev, vis(2), t0, open());
        const c = await co.queueJoin(ev, vis(3), t0 + 1, open());
        const d = await co.queueJoin(ev, vis(4), t0 + 2, open());
        expect(c.entry).toEqual({ state: 'waiting', position: 1, ticket: 3 });
        expect(d.entry).toEqual({ state: 'waiting', position: 2, ticket: 4 });
        expect(d).toMatchObject({ waiting: 2, active: 2, admittedTotal: 2, drawn: true, prequeue: 0 });
      });

      it('keeps the place when a visitor joins twice', async () => {
        const co = await get();
        const ev = newEvent();
        for (let i = 1; i <= 4; i++) await co.queueJoin(ev, vis(i), t0, open({ capacity: 1 }));
        const again = await co.queueJoin(ev, vis(3), t0 + 5, open({ capacity: 1 }));
        expect(again.entry).toEqual({ state: 'waiting', position: 2, ticket: 3 });
        expect(again.joined).toBeNull();
        expect(again.waiting).toBe(3);
        expect((await co.queueJoin(ev, vis(1), t0 + 6, open({ capacity: 1 }))).entry.state).toBe('admitted');
      });

      it('frees a place when a window ends early or expires, and admits the next in line', async () => {
        const co = await get();
        const ev = newEvent();
        const p = open({ capacity: 1, windowMs: 10_000 });
        for (let i = 1; i <= 3; i++) await co.queueJoin(ev, vis(i), t0, p);
        const left = await co.queueLeave(ev, vis(1), t0 + 1_000, p);
        expect(left.left).toBe('admitted');
        expect(left.admitted).toEqual([vis(2)]);
        expect((await co.queueStatus(ev, vis(2), t0 + 1_000, p)).entry).toEqual({ state: 'admitted', untilMs: t0 + 11_000 });
        // vis(2)'s window runs out: the next status call expires it and admits vis(3).
        const later = await co.queueStatus(ev, vis(3), t0 + 11_000, p);
        expect(later.admitted).toEqual([vis(3)]);
        expect(later.entry.state).toBe('admitted');
        expect((await co.queueStatus(ev, vis(2), t0 + 11_000, p)).entry).toEqual({ state: 'none' });
      });

      it('remembers an ended admission so its tokens can be refused, but not a later one', async () => {
        const co = await get();
        const ev = newEvent();
        const p = open({ capacity: 5 });
        const first = await co.queueJoin(ev, vis(1), t0, p);
        const until = first.entry.state === 'admitted' ? first.entry.untilMs : 0;
        expect(await co.queueAdmissionEnded(ev, vis(1), until)).toBe(false);
        await co.queueLeave(ev, vis(1), t0 + 1_000, p);
        expect(await co.queueAdmissionEnded(ev, vis(1), until)).toBe(true);
        const again = await co.queueJoin(ev, vis(1), t0 + 2_000, p);
        expect(again.entry).toEqual({ state: 'admitted', untilMs: t0 + 62_000 });
        expect(await co.queueAdmissionEnded(ev, vis(1), t0 + 62_000)).toBe(false);
        // Admitted again within the same second as the ended window: the new one still ends later, so it is not "ended".
        await co.queueLeave(ev, vis(1), t0 + 2_100, p);
        const third = await co.queueJoin(ev, vis(1), t0 + 2_200, p);
        expect(third.entry).toEqual({ state: 'admitted', untilMs: t0 + 63_000 });
        expect(await co.queueAdmissionEnded(ev, vis(1), t0 + 63_000)).toBe(false);
        expect(await co.queueAdmissionEnded(ev, vis(2), until)).toBe(false);
      });

      it('admits no faster than the rate allows and measures what it admitted', async () => {
        const co = await get();
        const ev = newEvent();
        const p = open({ capacity: 100, ratePerMinute: 60, burst: 2 });
        for (let i = 1; i <= 10; i++) await co.queueJoin(ev, vis(i), t0, p);
        expect((await co.queueStatus(ev, null, t0, p)).admittedTotal).toBe(2);
        expect((await co.queueStatus(ev, null, t0 + 999, p)).admittedTotal).toBe(2);
        expect((await co.queueStatus(ev, null, t0 + 1_000, p)).admitted).toEqual([vis(3)]);
        // Three seconds of refill, but the bucket holds two.
        const r = await co.queueStatus(ev, vis(10), t0 + 4_000, p);
        expect(r.admitted).toEqual([vis(4), vis(5)]);
        expect(r.entry).toEqual({ state: 'waiting', position: 5, ticket: 10 });
        expect(r.recent).toEqual({ count: 5, sinceMs: t0 });
      });

      it('never lets more in than the capacity, however many join at once', async () => {
        const co = await get();
        const ev = newEvent();
        const p = open({ capacity: 7 });
        const reports = await Promise.all(Array.from({ length: 300 }, (_, i) => co.queueJoin(ev, vis(i), t0, p)));
        expect(Math.max(...reports.map((r) => r.active))).toBe(7);
        const tickets = reports.map((r) => (r.entry.state === 'waiting' ? r.entry.ticket : 0)).filter(Boolean);
        expect(new Set(tickets).size).toBe(tickets.length);
        expect(reports.flatMap((r) => r.admitted)).toHaveLength(7);
      });

      it('holds pre-queue arrivals until the draw, then puts them ahead of later arrivals in the drawn order', async () => {
        const co = await get();
        const ev = newEvent();
        const pre = open({ capacity: 1, prequeue: true });
        for (let i = 1; i <= 4; i++) expect((await co.queueJoin(ev, vis(i), t0, pre)).entry).toEqual({ state: 'prequeue', ticket: i });
        expect(await co.queueStatus(ev, null, t0 + 1, pre)).toMatchObject({ prequeue: 4, waiting: 0, active: 0, drawn: false });

        // On-sale: a later arrival comes before the draw is applied; nobody is admitted meanwhile.
        const late = await co.queueJoin(ev, vis(9), t0 + 10, open({ capacity: 1 }));
        expect(late.entry).toEqual({ state: 'waiting', position: 1, ticket: 5 });
        expect(late.admitted).toEqual([]);
        expect(await co.queueClosePrequeue(ev)).toEqual([vis(1), vis(2), vis(3), vis(4)]);
        // A pre-queue join racing the close (a slow clock) is a regular arrival now.
        expect((await co.queueJoin(ev, vis(7), t0 + 11, pre)).entry).toEqual({ state: 'waiting', position: 2, ticket: 6 });

        expect(await co.queueApplyDraw(ev, [vis(3), vis(1)], 0, false)).toBe(2);
        expect((await co.queueStatus(ev, null, t0 + 12, open({ capacity: 1 }))).admitted).toEqual([]);
        // vis(4) left is not listed in this chunk; vis(2) is listed twice across chunks: applying twice is harmless.
        expect(await co.queueApplyDraw(ev, [vis(2), vis(3)], 2, true)).toBe(1);
        const after = await co.queueStatus(ev, vis(4), t0 + 13, open({ capacity: 1 }));
        expect(after.admitted).toEqual([vis(3)]);
        expect(after.drawn).toBe(true);
        // Undrawn entrant vis(4) (ticket 4) keeps its arrival order: behind the drawn ones, ahead of tickets 5 and 6.
        expect(after.entry).toEqual({ state: 'waiting', position: 3, ticket: 4 });
        expect((await co.queueStatus(ev, vis(1), t0 + 13, open({ capacity: 1 }))).entry).toEqual({ state: 'waiting', position: 1, ticket: null });
        expect((await co.queueStatus(ev, vis(9), t0 + 13, open({ capacity: 1 }))).entry).toEqual({ state: 'waiting', position: 4, ticket: 5 });
      });

      it('lets a visitor leave the line or the pre-queue', async () => {
        const co = await get();
        const ev = newEvent();
        await co.queueJoin(ev, vis(1), t0, open({ prequeue: true }));
        expect((await co.queueLeave(ev, vis(1), t0, open({ prequeue: true }))).left).toBe('prequeue');
        await co.queueJoin(ev, vis(2), t0, open({ capacity: 0 }));
        const gone = await co.queueLeave(ev, vis(2), t0, open({ capacity: 0 }));
        expect(gone.left).toBe('waiting');
        expect(gone.entry).toEqual({ state: 'none' });
        expect((await co.queueLeave(ev, vis(3), t0, open())).left).toBe('none');
      });
    });

    it('grants a lease to one owner at a time', async () => {
      const co = await get();
      const key = `{ev:${newEvent()}}:lease`;
      expect(await co.acquireLease(key, 'a', 10_000)).toBe(true);
      expect(await co.acquireLease(key, 'b', 10_000)).toBe(false);
      await co.releaseLease(key, 'b');
      expect(await co.acquireLease(key, 'b', 10_000)).toBe(false);
      await co.releaseLease(key, 'a');
      expect(await co.acquireLease(key, 'b', 10_000)).toBe(true);
    });

    it('rate-limits per key over a sliding window and recovers', async () => {
      const co = await get();
      const key = `{rl:contract:${newEvent()}}`;
      // Start at the beginning of a window so all three fit in it.
      const windowMs = 1_000;
      await sleep(windowMs - (Date.now() % windowMs) + 5);
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await co.rateLimit(key, 3, windowMs));
      expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
      expect(results[0]).toMatchObject({ limit: 3, remaining: 2 });
      expect(results[3]!.resetMs).toBeGreaterThan(Date.now());
      expect(results[3]!.resetMs).toBeLessThanOrEqual(Date.now() + windowMs);
      expect((await co.rateLimit(`{rl:contract:${newEvent()}}`, 3, windowMs)).success).toBe(true);
      // Two windows later nothing of the old counts weighs any more.
      await sleep(2 * windowMs + 10);
      expect((await co.rateLimit(key, 3, windowMs)).success).toBe(true);
    });
  });
}
