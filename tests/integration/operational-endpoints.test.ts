import { afterEach, describe, expect, it } from 'vitest';
import { GET as benchNoop } from '@/app/api/bench/noop/route.bench';
import { GET as health } from '@/app/api/health/route';
import { GET as live } from '@/app/api/health/live/route';
import { GET as ready } from '@/app/api/health/ready/route';
import { GET as metricsRoute } from '@/app/api/metrics/route';
import { resetEnvForTests } from '@/lib/env';
import { connectionContext } from '@/lib/http/connection-context';
import { useTestDatabase } from '../support/database';
import { call } from '../support/http';

/**
 * Issue 15, item 13: metrics and the details of health are for operators (a bearer token, or loopback without one);
 * everyone else learns up or down; the benchmark's route answers only when the benchmark turns it on.
 */
describe('operational endpoints', () => {
  useTestDatabase({ reset: false });
  afterEach(() => {
    delete process.env.METRICS_TOKEN;
    delete process.env.BENCH_ROUTES;
    resetEnvForTests();
  });
  const from = <T>(clientAddress: string, fn: () => Promise<T>) => connectionContext.run({ clientAddress }, fn);
  const TOKEN = 'metrics-token-for-the-test-0123456789';

  it('serves metrics to loopback only when no token is set', async () => {
    expect((await from('203.0.113.9', () => call(metricsRoute, {}))).status).toBe(401);
    expect((await call(metricsRoute, {})).status).toBe(401); // no connection context: the address is unknown
    const local = await from('127.0.0.1', () => call(metricsRoute, {}));
    expect(local.status).toBe(200);
    expect(local.body).toContain('admitone_http_request_duration_ms');
    expect((await from('::1', () => call(metricsRoute, {}))).status).toBe(200);
  });

  it('serves metrics with the bearer token when one is set, and then to nobody without it', async () => {
    process.env.METRICS_TOKEN = TOKEN;
    resetEnvForTests();
    expect(
      (await from('203.0.113.9', () => call(metricsRoute, { headers: { authorization: `Bearer ${TOKEN}` } }))).status,
    ).toBe(200);
    expect(
      (await from('203.0.113.9', () => call(metricsRoute, { headers: { authorization: `Bearer ${TOKEN}x` } }))).status,
    ).toBe(401);
    expect((await from('127.0.0.1', () => call(metricsRoute, {}))).status).toBe(401); // a local proxy makes everyone look local
  });

  it('tells the public only up or down; the details need an operator', async () => {
    for (const route of [health, ready]) {
      const open = await from('203.0.113.9', () => call(route, {}));
      expect(open).toMatchObject({ status: 200, body: { status: 'up' } });
      expect(Object.keys(open.body as object)).toEqual(['status']);
      const operator = await from('127.0.0.1', () => call(route, {}));
      expect(operator.body).toMatchObject({ status: 'ok', database: { ok: true, mode: 'postgres' } });
    }
    expect(await call(live, {})).toMatchObject({ status: 200, body: { status: 'up' } });
    expect(JSON.stringify((await call(live, {})).body)).not.toContain('uptime');
  });

  it('answers the benchmark route only with BENCH_ROUTES=1', async () => {
    expect(await call(benchNoop, {})).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    process.env.BENCH_ROUTES = '1';
    resetEnvForTests();
    expect((await call(benchNoop, {})).status).toBe(200);
  });
});
