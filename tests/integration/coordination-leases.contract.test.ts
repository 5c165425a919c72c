import { expect, it } from 'vitest';
import { forEachAdapter, newEvent } from '../support/coordinator';

/** Leases (lib/coordination/leases): every adapter this machine has must behave alike. */
forEachAdapter('lease contract', (get) => {
  it('grants a lease to one owner at a time', async () => {
    const leases = (await get()).leases;
    const key = `{ev:${newEvent()}}:lease`;
    expect(await leases.acquire(key, 'a', 10_000)).toBe(true);
    expect(await leases.acquire(key, 'b', 10_000)).toBe(false);
    await leases.release(key, 'b');
    expect(await leases.acquire(key, 'b', 10_000)).toBe(false);
    await leases.release(key, 'a');
    expect(await leases.acquire(key, 'b', 10_000)).toBe(true);
  });
});
