import { expect, it, vi } from 'vitest';

it('gives every copy of the module graph the same one, made once', async () => {
  const first = await import('./process-singletons');
  vi.resetModules(); // a second copy of the module, as the hot routes' tsx graph is beside Next's bundles
  const second = await import('./process-singletons');
  expect(second).not.toBe(first);
  const create = vi.fn(() => ({ current: 'one' }));
  const made = first.processSingleton('demoSeed', create);
  expect(second.processSingleton('demoSeed', create)).toBe(made);
  expect(second.peekProcessSingleton('demoSeed')).toBe(made);
  expect(create.mock.calls.length).toBeLessThanOrEqual(1);
});
