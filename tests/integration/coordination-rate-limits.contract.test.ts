import { expect, it } from 'vitest';
import { forEachAdapter, newEvent, sleep } from '../support/coordinator';

/** The rate-limit store (lib/coordination/rate-limits): every adapter this machine has must behave alike. */
forEachAdapter('rate-limit store contract', (get) => {
  it('rate-limits per key over a sliding window and recovers', async () => {
    const store = (await get()).rateLimits;
    const key = `{rl:contract:${newEvent()}}`;
    // Start at the beginning of a window so all three fit in it.
    const windowMs = 1_000;
    await sleep(windowMs - (Date.now() % windowMs) + 5);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await store.limit(key, 3, windowMs));
    expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
    expect(results[0]).toMatchObject({ limit: 3, remaining: 2 });
    expect(results[3]!.resetMs).toBeGreaterThan(Date.now());
    expect(results[3]!.resetMs).toBeLessThanOrEqual(Date.now() + windowMs);
    expect((await store.limit(`{rl:contract:${newEvent()}}`, 3, windowMs)).success).toBe(true);
    // Two windows later nothing of the old counts weighs any more.
    await sleep(2 * windowMs + 10);
    expect((await store.limit(key, 3, windowMs)).success).toBe(true);
  });
});
