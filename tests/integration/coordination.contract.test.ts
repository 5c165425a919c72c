import { expect, it } from 'vitest';
import { forEachAdapter } from '../support/coordinator';

/** The connection every port is built on: it answers a ping (the health check's question) on every adapter. */
forEachAdapter('coordinator connection contract', (get) => {
  it('answers ping', async () => {
    await expect((await get()).ping()).resolves.toBeUndefined();
  });
});
