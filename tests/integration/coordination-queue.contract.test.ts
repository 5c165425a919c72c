import { expect, it, describe } from 'vitest';
import { forEachAdapter, newEvent, openQueue as open, visitor as vis } from '../support/coordinator';

/**
 * The queue store (lib/queue/store): the admission rule is written twice, in Lua (redis.ts) and in TypeScript
 * (memory.ts); this suite runs against both, so they cannot drift apart.
 */
forEachAdapter('queue store contract', (get) => {
  describe('waiting room', () => {
    const t0 = 1_900_000_000_000;

    it('admits at once while below capacity, then lines visitors up first come, first served', async () => {
      const q = (await get()).queue;
      const ev = newEvent();
      const a = await q.join(ev, vis(1), t0, open());
      expect(a.entry).toEqual({ state: 'admitted', untilMs: t0 + 60_000 });
      expect(a.admitted).toEqual([vis(1)]);
      expect(a.joined).toBe(1);
      await q.join(ev, vis(2), t0, open());
      const c = await q.join(ev, vis(3), t0 + 1, open());
      const d = await q.join(ev, vis(4), t0 + 2, open());
      expect(c.entry).toEqual({ state: 'waiting', position: 1, ticket: 3 });
      expect(d.entry).toEqual({ state: 'waiting', position: 2, ticket: 4 });
      expect(d).toMatchObject({ waiting: 2, active: 2, admittedTotal: 2, drawn: true, prequeue: 0 });
    });

    it('keeps the place when a visitor joins twice', async () => {
      const q = (await get()).queue;
      const ev = newEvent();
      for (let i = 1; i <= 4; i++) await q.join(ev, vis(i), t0, open({ capacity: 1 }));
      const again = await q.join(ev, vis(3), t0 + 5, open({ capacity: 1 }));
      expect(again.entry).toEqual({ state: 'waiting', position: 2, ticket: 3 });
      expect(again.joined).toBeNull();
      expect(again.waiting).toBe(3);
      expect((await q.join(ev, vis(1), t0 + 6, open({ capacity: 1 }))).entry.state).toBe('admitted');
    });

    it('frees a place when a window ends early or expires, and admits the next in line', async () => {
      const q = (await get()).queue;
      const ev = newEvent();
      const p = open({ capacity: 1, windowMs: 10_000 });
      for (let i = 1; i <= 3; i++) await q.join(ev, vis(i), t0, p);
      const left = await q.leave(ev, vis(1), t0 + 1_000, p);
      expect(left.left).toBe('admitted');
      expect(left.admitted).toEqual([vis(2)]);
      expect((await q.status(ev, vis(2), t0 + 1_000, p)).entry).toEqual({ state: 'admitted', untilMs: t0 + 11_000 });
      // vis(2)'s window runs out: the next status call expires it and admits vis(3).
      const later = await q.status(ev, vis(3), t0 + 11_000, p);
      expect(later.admitted).toEqual([vis(3)]);
      expect(later.entry.state).toBe('admitted');
      expect((await q.status(ev, vis(2), t0 + 11_000, p)).entry).toEqual({ state: 'none' });
    });

    it('remembers an ended admission so its tokens can be refused, but not a later one', async () => {
      const q = (await get()).queue;
      const ev = newEvent();
      const p = open({ capacity: 5 });
      const first = await q.join(ev, vis(1), t0, p);
      const until = first.entry.state === 'admitted' ? first.entry.untilMs : 0;
      expect(await q.admissionEnded(ev, vis(1), until)).toBe(false);
      await q.leave(ev, vis(1), t0 + 1_000, p);
      expect(await q.admissionEnded(ev, vis(1), until)).toBe(true);
      const again = await q.join(ev, vis(1), t0 + 2_000, p);
      expect(again.entry).toEqual({ state: 'admitted', untilMs: t0 + 62_000 });
      expect(await q.admissionEnded(ev, vis(1), t0 + 62_000)).toBe(false);
      // Admitted again within the same second as the ended window: the new one still ends later, so it is not "ended".
      await q.leave(ev, vis(1), t0 + 2_100, p);
      const third = await q.join(ev, vis(1), t0 + 2_200, p);
      expect(third.entry).toEqual({ state: 'admitted', untilMs: t0 + 63_000 });
      expect(await q.admissionEnded(ev, vis(1), t0 + 63_000)).toBe(false);
      expect(await q.admissionEnded(ev, vis(2), until)).toBe(false);
    });

    it('admits no faster than the rate allows and measures what it admitted', async () => {
      const q = (await get()).queue;
      const ev = newEvent();
      const p = open({ capacity: 100, ratePerMinute: 60, burst: 2 });
      for (let i = 1; i <= 10; i++) await q.join(ev, vis(i), t0, p);
      expect((await q.status(ev, null, t0, p)).admittedTotal).toBe(2);
      expect((await q.status(ev, null, t0 + 999, p)).admittedTotal).toBe(2);
      expect((await q.status(ev, null, t0 + 1_000, p)).admitted).toEqual([vis(3)]);
      // Three seconds of refill, but the bucket holds two.
      const r = await q.status(ev, vis(10), t0 + 4_000, p);
      expect(r.admitted).toEqual([vis(4), vis(5)]);
      expect(r.entry).toEqual({ state: 'waiting', position: 5, ticket: 10 });
      expect(r.recent).toEqual({ count: 5, sinceMs: t0 });
    });

    it('never lets more in than the capacity, however many join at once', async () => {
      const q = (await get()).queue;
      const ev = newEvent();
      const p = open({ capacity: 7 });
      const reports = await Promise.all(Array.from({ length: 300 }, (_, i) => q.join(ev, vis(i), t0, p)));
      expect(Math.max(...reports.map((r) => r.active))).toBe(7);
      const tickets = reports.map((r) => (r.entry.state === 'waiting' ? r.entry.ticket : 0)).filter(Boolean);
      expect(new Set(tickets).size).toBe(tickets.length);
      expect(reports.flatMap((r) => r.admitted)).toHaveLength(7);
    });

    it('holds pre-queue arrivals until the draw, then puts them ahead of later arrivals in the drawn order', async () => {
      const q = (await get()).queue;
      const ev = newEvent();
      const pre = open({ capacity: 1, prequeue: true });
      for (let i = 1; i <= 4; i++)
        expect((await q.join(ev, vis(i), t0, pre)).entry).toEqual({ state: 'prequeue', ticket: i });
      expect(await q.status(ev, null, t0 + 1, pre)).toMatchObject({ prequeue: 4, waiting: 0, active: 0, drawn: false });

      // On-sale: a later arrival comes before the draw is applied; nobody is admitted meanwhile.
      const late = await q.join(ev, vis(9), t0 + 10, open({ capacity: 1 }));
      expect(late.entry).toEqual({ state: 'waiting', position: 1, ticket: 5 });
      expect(late.admitted).toEqual([]);
      expect(await q.closePrequeue(ev)).toEqual([vis(1), vis(2), vis(3), vis(4)]);
      // A pre-queue join racing the close (a slow clock) is a regular arrival now.
      expect((await q.join(ev, vis(7), t0 + 11, pre)).entry).toEqual({ state: 'waiting', position: 2, ticket: 6 });

      expect(await q.applyDraw(ev, [vis(3), vis(1)], 0, false)).toBe(2);
      expect((await q.status(ev, null, t0 + 12, open({ capacity: 1 }))).admitted).toEqual([]);
      // vis(4) left is not listed in this chunk; vis(2) is listed twice across chunks: applying twice is harmless.
      expect(await q.applyDraw(ev, [vis(2), vis(3)], 2, true)).toBe(1);
      const after = await q.status(ev, vis(4), t0 + 13, open({ capacity: 1 }));
      expect(after.admitted).toEqual([vis(3)]);
      expect(after.drawn).toBe(true);
      // Undrawn entrant vis(4) (ticket 4) keeps its arrival order: behind the drawn ones, ahead of tickets 5 and 6.
      expect(after.entry).toEqual({ state: 'waiting', position: 3, ticket: 4 });
      expect((await q.status(ev, vis(1), t0 + 13, open({ capacity: 1 }))).entry).toEqual({
        state: 'waiting',
        position: 1,
        ticket: null,
      });
      expect((await q.status(ev, vis(9), t0 + 13, open({ capacity: 1 }))).entry).toEqual({
        state: 'waiting',
        position: 4,
        ticket: 5,
      });
    });

    it('lets a visitor leave the line or the pre-queue', async () => {
      const q = (await get()).queue;
      const ev = newEvent();
      await q.join(ev, vis(1), t0, open({ prequeue: true }));
      expect((await q.leave(ev, vis(1), t0, open({ prequeue: true }))).left).toBe('prequeue');
      await q.join(ev, vis(2), t0, open({ capacity: 0 }));
      const gone = await q.leave(ev, vis(2), t0, open({ capacity: 0 }));
      expect(gone.left).toBe('waiting');
      expect(gone.entry).toEqual({ state: 'none' });
      expect((await q.leave(ev, vis(3), t0, open())).left).toBe('none');
    });
  });
});
