import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { NextRequest } from 'next/server';
import { LoadShedder } from '@/lib/http/load-shedder';
import { route } from '@/lib/http/route';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

describe('load shedding', () => {
  it('runs at most maxInFlight at once, lets a few wait, and sheds the rest with 503 + Retry-After', async () => {
    const shedder = new LoadShedder('test', { maxInFlight: 2, maxWaiting: 1, maxWaitMs: 5_000 });
    const g = gate();
    let running = 0;
    let peak = 0;
    const work = () =>
      shedder.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await g.opened;
        running--;
        return 'done';
      });
    const first = [work(), work(), work()];
    const shed = await work().then(
      () => null,
      (error: unknown) => error,
    );
    expect(shed).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, extras: { retryAfter: 1 } });
    expect(shedder.running).toBe(2);
    expect(shedder.queued).toBe(1);
    g.open();
    expect(await Promise.all(first)).toEqual(['done', 'done', 'done']);
    expect(peak).toBe(2);
    expect(shedder.running).toBe(0);
  });

  it('sheds a waiter whose wait runs out, without ever running it', async () => {
    const shedder = new LoadShedder('test-timeout', { maxInFlight: 1, maxWaiting: 10, maxWaitMs: 30 });
    const g = gate();
    const busy = shedder.run(() => g.opened);
    let ran = false;
    const started = Date.now();
    const waited = await shedder
      .run(async () => {
        ran = true;
      })
      .catch((error: unknown) => error);
    expect(waited).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(ran).toBe(false);
    expect(shedder.queued).toBe(0);
    g.open();
    await busy;
    expect(shedder.running).toBe(0);
  });

  afterEach(() => {
    delete process.env.SHED_MAX_WAIT_MS;
    resetEnvForTests();
  });

  it('answers a shed route request with problem+json 503 and Retry-After, and serves again once the load is gone', async () => {
    // The default pool (SHED_MAX_IN_FLIGHT 8 run, SHED_MAX_WAITING 16 wait), with waits long enough for this test.
    process.env.SHED_MAX_WAIT_MS = '10000';
    resetEnvForTests();
    const g = gate();
    const handler = route('test.shed', { shed: true }, async () => {
      await g.opened;
      return new Response('ok');
    });
    const call = () =>
      handler(new NextRequest('http://localhost/api/x', { method: 'POST' }), { params: Promise.resolve({}) });
    const busy = Array.from({ length: 24 }, call);
    const started = Date.now();
    const shed = await call();
    expect(Date.now() - started).toBeLessThan(500);
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(shed.headers.get('content-type')).toBe('application/problem+json');
    expect(await shed.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'overloaded' });
    g.open();
    expect((await Promise.all(busy)).every((r) => r.status === 200)).toBe(true);
    expect((await call()).status).toBe(200);
  });

  it('sheds a route request that waited SHED_MAX_WAIT_MS for a slot', async () => {
    process.env.SHED_MAX_WAIT_MS = '50';
    resetEnvForTests();
    const g = gate();
    const handler = route('test.shed-wait', { shed: true }, async () => {
      await g.opened;
      return new Response('ok');
    });
    const call = () =>
      handler(new NextRequest('http://localhost/api/x', { method: 'POST' }), { params: Promise.resolve({}) });
    const busy = Array.from({ length: 8 }, call);
    const waited = await call();
    expect(waited.status).toBe(503);
    expect(waited.headers.get('retry-after')).toBe('1');
    g.open();
    expect((await Promise.all(busy)).every((r) => r.status === 200)).toBe(true);
  });
});
