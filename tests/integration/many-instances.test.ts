import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { auditInventory } from '@/lib/inventory';
import { holdOutcomes } from '@/lib/inventory/metrics';
import { admittedCookie } from '../support/admission';
import { clientFetch, type ClientInit } from '../support/app-client';
import { ensureBuilt, startAppServer, type AppServer } from '../support/app-server';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUsers } from '../support/fixtures';
import { seatIdsOf, statusCounts } from '../support/inventory';
import { OwnedNginx } from '../support/nginx-process';
import { freePort } from '../support/redis-process';
import { sessionCookies, withSetCookies } from '../support/sessions';
import { realDatabaseUrl, realRedisUrl } from '../support/services';

/**
 * Issue 19, item 2: two app processes on one PostgreSQL and Redis, behind deploy/nginx.conf (round robin), share
 * everything a request leaves behind: seats, the live availability, sessions, rate limits and the background jobs.
 * Item 1: `WEB_CONCURRENCY=2` runs two workers on one port, restarts one that dies, and drains both on SIGTERM.
 */
const METRICS_TOKEN = 'metrics-token-for-many-instances-0123456789';
const PASSWORD = 'correct horse battery staple';
const SWEEP_EVERY_MS = 5_000; // lib/jobs/index.ts

describe.skipIf(!realDatabaseUrl || !realRedisUrl || (!OwnedNginx.available() && !process.env.CI))(
  'many app instances',
  () => {
    const { handle, url } = useTestDatabase({ reset: false });
    let a: AppServer;
    let b: AppServer;
    let nginx: OwnedNginx;
    let origin: string;
    let sweepsAtStart: { at: number; runs: number };
    const run = Math.floor(Math.random() * 250);
    let hop = 0;
    /** Each simulated client has an address of its own, as a trusted proxy in front would say. */
    const address = () => `198.19.${run}.${(hop++ % 250) + 1}`;

    /** Sum of a metric's series on one instance (its /api/metrics, Prometheus text), 0 before anything counted. */
    const metric = async (server: AppServer, name: string, labels = '') => {
      const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status).toBe(200);
      let sum = 0;
      for (const line of (await res.text()).split('\n'))
        if (line.startsWith(name) && line.includes(labels) && /^[^{\s]+(\{[^}]*\})? /.test(line))
          if (line.split(/[{\s]/)[0] === name) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      return sum;
    };
    const sweeps = async () =>
      (
        await Promise.all([a, b].map((s) => metric(s, 'admitone_background_job_runs_total', 'sweep-expired-holds')))
      ).reduce((x, y) => x + y, 0);

    beforeAll(async () => {
      await ensureBuilt();
      const [portA, portB, proxyPort] = [await freePort(), await freePort(), await freePort()];
      origin = `http://localhost:${proxyPort}`;
      const env = {
        DATABASE_URL: url(),
        REDIS_URL: realRedisUrl!,
        APP_URL: origin,
        METRICS_TOKEN,
        // The stampede is about overselling: let every hold queue rather than be shed.
        SHED_MAX_WAITING: '1000',
        SHED_MAX_WAIT_MS: '30000',
      };
      [a, b] = await Promise.all([startAppServer(portA, env), startAppServer(portB, env)]);
      nginx = new OwnedNginx(proxyPort, [portA, portB]);
      await nginx.start();
      sweepsAtStart = { at: Date.now(), runs: await sweeps() };
    }, 300_000);
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop(), nginx?.stop()]);
    });

    /** A client of one instance; a request with a body is a JSON one from the site's own pages. */
    const api = (server: AppServer, path: string, init: Omit<ClientInit, 'from'> & { from?: string } = {}) =>
      clientFetch(`${server.url}${path}`, {
        ...init,
        from: init.from ?? address(),
        headers: { ...(init.body ? { 'content-type': 'application/json', origin } : {}), ...init.headers },
      });

    it('a stampede through nginx over both instances gives each seat at most one winner', async () => {
      const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 8 });
      const seats = await seatIdsOf(handle(), event.id);
      const users = await createUsers(handle().db, 24);
      const cookies = await sessionCookies(
        handle().db,
        users.map((u) => u.id),
      );
      const buyers = await Promise.all(cookies.map((c, i) => admittedCookie(c, event.id, users[i]!.id)));
      const servedBefore = await Promise.all([a, b].map((s) => metric(s, 'admitone_hold_duration_ms_count')));
      // 24 at once: nginx's hold budget (deploy/nginx.conf), which it may still refuse a few of with 503.
      const answers = await Promise.all(
        buyers.map(async (cookie, i) => {
          const res = await fetch(`${nginx.url}/api/events/${event.id}/holds`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ seatIds: [seats[i % 8], seats[(i + 3) % 8]] }),
          });
          return { status: res.status, body: (await res.json()) as HoldResponse };
        }),
      );
      expect(answers.every((r) => [201, 409, 503].includes(r.status))).toBe(true);
      const granted = answers.filter((r) => r.status === 201).flatMap((r) => r.body.seatIds);
      expect(granted.length).toBeGreaterThan(0);
      expect(new Set(granted).size).toBe(granted.length);
      expect((await statusCounts(handle(), event.id)).held).toBe(granted.length);
      expect((await auditInventory(handle().db, new Date(), [event.id])).violations).toEqual([]);
      // Both instances served some (round robin), and the dashboard's counts have every answer of both.
      const servedAfter = await Promise.all([a, b].map((s) => metric(s, 'admitone_hold_duration_ms_count')));
      expect(servedAfter[0]! - servedBefore[0]!).toBeGreaterThan(0);
      expect(servedAfter[1]! - servedBefore[1]!).toBeGreaterThan(0);
      const answered = answers.filter((r) => r.status !== 503).length;
      await expect
        .poll(
          async () => {
            const counts = await holdOutcomes(handle().db, event.id);
            return counts.granted + counts.conflicts + counts.refused;
          },
          { timeout: 15_000, interval: 500 },
        )
        .toBe(answered);
    }, 60_000);

    it('sells each seat at most once when 200 buyers race both instances directly', async () => {
      const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 10 });
      const seats = await seatIdsOf(handle(), event.id);
      const users = await createUsers(handle().db, 200);
      const cookies = await sessionCookies(
        handle().db,
        users.map((u) => u.id),
      );
      const buyers = await Promise.all(cookies.map((c, i) => admittedCookie(c, event.id, users[i]!.id)));
      const answers = await Promise.all(
        buyers.map(async (cookie, i) => {
          const res = await fetch(`${[a, b][i % 2]!.url}/api/events/${event.id}/holds`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ seatIds: [seats[i % 20], seats[(i + 3) % 20]] }),
          });
          return { status: res.status, body: (await res.json()) as HoldResponse };
        }),
      );
      const statuses = [...new Set(answers.map((r) => r.status))].sort();
      expect(statuses).toEqual([201, 409]);
      const granted = answers.filter((r) => r.status === 201).flatMap((r) => r.body.seatIds);
      expect(new Set(granted).size).toBe(granted.length);
      expect((await statusCounts(handle(), event.id)).held).toBe(granted.length);
      expect((await auditInventory(handle().db, new Date(), [event.id])).violations).toEqual([]);
      for (const s of [a, b]) expect(s.output()).not.toMatch(/unhandled error/);
    }, 60_000);

    it('an availability stream on one instance sees a hold made on the other', async () => {
      const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 4 });
      const [seat] = await seatIdsOf(handle(), event.id);
      const [user] = await createUsers(handle().db, 1);
      const [cookie] = await sessionCookies(handle().db, [user!.id]);
      const stop = new AbortController();
      const stream = await fetch(`${a.url}/api/events/${event.id}/availability/stream`, { signal: stop.signal });
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = stream.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const until = async (seen: (t: string) => boolean) => {
        while (!seen(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`the stream ended: ${text}`);
          text += decoder.decode(value, { stream: true });
        }
      };
      try {
        await until((t) => t.includes('event: snapshot'));
        const mark = text.length;
        const hold = await api(b, `/api/events/${event.id}/holds`, {
          method: 'POST',
          cookie: await admittedCookie(cookie!, event.id, user!.id),
          body: JSON.stringify({ seatIds: [seat] }),
        });
        expect(hold.status).toBe(201);
        const heldAt = Date.now();
        await until((t) => t.slice(mark).includes('event: delta'));
        console.info(`a hold on instance B reached a stream on instance A after ${Date.now() - heldAt} ms`);
      } finally {
        stop.abort();
      }
    }, 30_000);

    it('a sign-out on one instance is refused on the other within seconds', async () => {
      const email = `many-${crypto.randomUUID().slice(0, 10)}@example.test`;
      const from = address();
      const body = JSON.stringify({ email, password: PASSWORD, name: 'Many Instances' });
      expect((await api(a, '/api/auth/sign-up/email', { method: 'POST', body, from })).status).toBe(200);
      const signedIn = await api(a, '/api/auth/sign-in/email', {
        method: 'POST',
        from,
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      const stolen = withSetCookies('', signedIn);
      // Instance B verified and cached the session.
      expect((await api(b, '/api/orders', { cookie: stolen })).status).toBe(200);
      expect((await api(a, '/api/auth/sign-out', { method: 'POST', cookie: stolen, body: '{}' })).status).toBe(200);
      const signedOutAt = Date.now();
      let status = 200;
      while (status !== 401 && Date.now() - signedOutAt < 10_000) {
        status = (await api(b, '/api/orders', { cookie: stolen })).status;
        if (status !== 401) await new Promise((r) => setTimeout(r, 100));
      }
      console.info(`instance B refused the session ${Date.now() - signedOutAt} ms after the sign-out on A`);
      expect(status).toBe(401);
    }, 30_000);

    it('counts sign-in attempts across both instances (five a minute per account, not five per instance)', async () => {
      const email = `limit-${crypto.randomUUID().slice(0, 10)}@example.test`;
      const body = JSON.stringify({ email, password: PASSWORD, name: 'Limited Person' });
      expect((await api(a, '/api/auth/sign-up/email', { method: 'POST', body })).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await api(i % 2 ? b : a, '/api/auth/sign-in/email', {
          method: 'POST',
          body: JSON.stringify({ email, password: `wrong-guess-${i}` }),
        });
        statuses.push(res.status);
      }
      // As in tests/integration/security-over-http.test.ts: the sixth may pass when the tries straddle the sliding
      // window's boundary; from the seventh on, every one is refused, whichever instance it reaches.
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect([401, 429]).toContain(statuses[5]);
      expect(statuses.slice(6)).toEqual([429, 429]);
    }, 30_000);

    it('runs the expired-hold sweeper once per interval across both instances, not once per instance', async () => {
      // At least five intervals since the start (the tests above usually took that long already).
      const waitMs = sweepsAtStart.at + 5 * SWEEP_EVERY_MS + 500 - Date.now();
      if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
      const now = Date.now();
      const runs = (await sweeps()) - sweepsAtStart.runs;
      const intervals = Math.floor(now / SWEEP_EVERY_MS) - Math.floor(sweepsAtStart.at / SWEEP_EVERY_MS);
      console.info(`sweeper: ${runs} runs over ${intervals} intervals on two instances`);
      expect(runs).toBeGreaterThanOrEqual(1);
      expect(runs).toBeLessThanOrEqual(intervals + 1);
      for (const s of [a, b]) expect(s.output()).not.toMatch(/unhandled error/);
    }, 60_000);
  },
);

/** The worker processes of a cluster primary: its children that run the server script (not tsx's esbuild). */
const childrenOf = (pid: number): number[] =>
  (spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout ?? '')
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((child) => {
      try {
        return readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('scripts/server.ts');
      } catch {
        return false; // gone meanwhile
      }
    });

describe.skipIf(!realDatabaseUrl || !realRedisUrl)('WEB_CONCURRENCY=2', () => {
  const { url } = useTestDatabase({ reset: false });
  let server: AppServer;

  beforeAll(async () => {
    await ensureBuilt();
    server = await startAppServer(await freePort(), {
      DATABASE_URL: url(),
      REDIS_URL: realRedisUrl!,
      WEB_CONCURRENCY: '2',
    });
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('serves one port from two workers, replaces one that dies, and drains both on SIGTERM', async () => {
    // A new connection each time: a kept-alive one may belong to the worker that was killed.
    const live = () =>
      new Promise<boolean>((resolve) => {
        const req = http.get(`${server.url}/api/health/live`, { agent: false, timeout: 20_000 }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        });
        req.on('error', () => resolve(false));
        req.on('timeout', () => req.destroy());
      });
    // Both workers listen (the primary says so once), then one dies.
    await expect.poll(() => server.output(), { timeout: 120_000, interval: 250 }).toMatch(/2 worker processes share/);
    const [first, second] = childrenOf(server.pid);
    expect(second).toBeDefined();
    process.kill(first!, 'SIGKILL');
    // The port still answers (the other worker; a loaded machine may take seconds, and a connection handed to the
    // dead worker before the primary noticed is lost, so ask again), and the primary starts another worker.
    await expect.poll(live, { timeout: 60_000, interval: 500 }).toBe(true);
    await expect
      .poll(() => childrenOf(server.pid).filter((pid) => pid !== first), { timeout: 30_000, interval: 250 })
      .toHaveLength(2);
    await expect.poll(live, { timeout: 60_000, interval: 500 }).toBe(true);
    const workers = childrenOf(server.pid);
    expect(workers).toContain(second);
    await server.stop();
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(() => [server.pid, ...workers].filter(alive), { timeout: 15_000 }).toEqual([]);
    expect(server.output()).toMatch(/died \(exit SIGKILL\); starting another/);
  }, 240_000);
});
