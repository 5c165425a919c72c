import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { auditInventory } from '@/lib/inventory';
import { ensureBuilt, startAppServer, type AppServer } from '../support/app-server';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUsers } from '../support/fixtures';
import { sessionCookies } from '../support/sessions';
import { admittedCookie } from '../support/admission';
import { seatIdsOf, statusCounts } from '../support/inventory';
import { freePort } from '../support/redis-process';
import { realDatabaseUrl, realRedisUrl } from '../support/services';

/**
 * Two app server processes against the same PostgreSQL and Redis, hammered over HTTP: nothing is sold twice.
 * Needs the real services (two processes cannot share an embedded PGlite directory).
 */
describe.skipIf(!realDatabaseUrl || !realRedisUrl)('two app servers', () => {
  const { handle, url } = useTestDatabase({ maxConnections: 10 });
  const servers: AppServer[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    // 100 holds arrive at each server at once: let them all queue rather than be shed (this is about overselling).
    const env = {
      DATABASE_URL: url(),
      REDIS_URL: realRedisUrl!,
      DATABASE_POOL_MAX: '8',
      SHED_MAX_WAITING: '1000',
      SHED_MAX_WAIT_MS: '30000',
    };
    for (let i = 0; i < 2; i++) servers.push(await startAppServer(await freePort(), env));
  }, 300_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('sells each seat at most once when 200 buyers race over HTTP through both servers', async () => {
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 10 });
    const seats = await seatIdsOf(handle(), event.id);
    const users = await createUsers(handle().db, 200);
    const sessions = await sessionCookies(
      handle().db,
      users.map((u) => u.id),
    );
    // Everyone came through the waiting room (the queue has its own tests).
    const buyers = await Promise.all(
      sessions.map(async (cookie, i) => ({ cookie: await admittedCookie(cookie, event.id, users[i]!.id) })),
    );
    const responses = await Promise.all(
      buyers.map(async (buyer, i) => {
        const server = servers[i % 2]!;
        const res = await fetch(`${server.url}/api/events/${event.id}/holds`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: buyer.cookie },
          body: JSON.stringify({ seatIds: [seats[i % 20], seats[(i + 3) % 20]] }),
        });
        return { status: res.status, body: (await res.json()) as HoldResponse & { code?: string } };
      }),
    );
    const statuses = responses.reduce<Record<number, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    );
    expect(Object.keys(statuses).sort()).toEqual(['201', '409']);
    const granted = responses.filter((r) => r.status === 201).flatMap((r) => r.body.seatIds);
    expect(new Set(granted).size).toBe(granted.length);
    expect((await statusCounts(handle(), event.id)).held).toBe(granted.length);
    expect((await auditInventory(handle().db, new Date(), [event.id])).violations).toEqual([]);
    for (const s of servers) expect(s.output()).not.toMatch(/unhandled error/);
  });
});
