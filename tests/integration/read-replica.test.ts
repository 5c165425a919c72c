import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  getDb,
  getReadDb,
  openDatabase,
  openReadReplica,
  readReplicaState,
  setDbHandleForTests,
  setReadReplicaForTests,
  type DatabaseHandle,
  type ReadReplica,
} from '@/db/client';
import { migrate } from '@/db/migrations-runner';
import { clearCatalogCache, readEventDetails, searchCatalog } from '@/lib/catalog/catalog-reads';
import { listOrdersForViewer } from '@/lib/checkout/list-orders-for-viewer';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { MemoryCoordinator } from '@/lib/coordination/memory';
import { parseEnv } from '@/lib/env';
import { getLayout } from '@/lib/inventory';
import type { SearchResult } from '@/lib/contracts/catalog';
import { checkoutTestDeps, holdSeats } from '../support/checkout';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { metricValue } from '../support/metrics';
import { ensureBuilt, startAppServer, type AppServer } from '../support/app-server';
import { PrimaryAndReplica } from '../support/postgres-replica';
import { freePort } from '../support/redis-process';

/**
 * Issue 19, a read replica: a real primary and a streaming replica (pg_basebackup, on spare ports). Catalog search,
 * event details and layouts read the replica while it keeps up; a buyer's orders always read the primary; a replica
 * that falls behind by more than the bound, or stops, is skipped and taken back when it is well again.
 */
const hasPostgresTools =
  existsSync('/usr/lib/postgresql/15/bin/initdb') && spawnSync('pg_basebackup', ['--version']).status === 0;
const DATABASE = 'admitone';
const MAX_LAG_MS = 3_000;
const names = (result: SearchResult) => result.items.map((item) => item.name);

describe.skipIf(!hasPostgresTools)('a streaming read replica', () => {
  let pair: PrimaryAndReplica | undefined;
  let primary: DatabaseHandle | undefined;
  let replica: ReadReplica | undefined;
  const replicaDb = () => replica!.db;
  /** Searches through the handle the pages and routes get, from cold caches. */
  const search = async (q: string) => {
    clearCatalogCache();
    return names(await searchCatalog(await getReadDb(), { q }));
  };
  const waitUntilInUse = () =>
    vi.waitFor(() => expect(readReplicaState()).toMatchObject({ inUse: true, lagMs: 0 }), {
      timeout: 60_000,
      interval: 100,
    });

  beforeAll(async () => {
    pair = await PrimaryAndReplica.start(DATABASE, async (url) => {
      const handle = await openDatabase(parseEnv({ DATABASE_URL: url }), { maxConnections: 1 });
      try {
        await migrate(handle);
      } finally {
        await handle.close();
      }
    });
    const e = parseEnv({
      DATABASE_URL: pair.primaryUrl(DATABASE),
      DATABASE_REPLICA_URL: pair.replicaUrl(DATABASE),
      DATABASE_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
      DATABASE_POOL_MAX: '4',
    });
    primary = await openDatabase(e);
    setDbHandleForTests(primary);
    replica = (await openReadReplica(primary.db, e, { intervalMs: 250 }))!;
    setReadReplicaForTests(replica);
  }, 180_000);

  afterAll(async () => {
    setReadReplicaForTests(undefined);
    setDbHandleForTests(undefined);
    await replica?.close();
    await primary?.close();
    await pair?.destroy();
  }, 60_000);

  it('serves search, event details and layouts from the replica while it keeps up', async () => {
    const { event } = await createOnSaleEvent(primary!.db, { event: { name: 'Aurora Nights' } });
    await waitUntilInUse();
    expect(await getReadDb()).toBe(replicaDb());
    const before = await metricValue('admitone_db_reads_total', { target: 'replica' });
    await vi.waitFor(async () => expect(await search('aurora')).toEqual(['Aurora Nights']), { timeout: 10_000 });
    // A misspelling takes the typo-tolerant path (its own read-only transaction, a setting for it): fine on a standby.
    expect(await search('auorra')).toEqual(['Aurora Nights']);
    expect((await readEventDetails(await getReadDb(), event.id)).name).toBe('Aurora Nights');
    expect((await getLayout(await getReadDb(), event.id)).doc.seats.id).toHaveLength(50);
    expect(await metricValue('admitone_db_reads_total', { target: 'replica' })).toBeGreaterThanOrEqual(before + 3);
    // The replica's server itself saw the app's pool.
    expect((await pair!.replicaConnections(DATABASE))['admitone-replica']).toBeGreaterThan(0);
    expect(await metricValue('admitone_db_replica_in_use')).toBe(1);
  });

  describe('in the production server', () => {
    let server: AppServer | undefined;
    // Building the app (once for every test file that needs it) can take minutes on a loaded machine.
    beforeAll(async () => {
      await ensureBuilt();
      server = await startAppServer(await freePort(), {
        DATABASE_URL: pair!.primaryUrl(DATABASE),
        DATABASE_REPLICA_URL: pair!.replicaUrl(DATABASE),
        DATABASE_POOL_MAX: '4',
      });
    }, 400_000);
    afterAll(() => server?.stop());

    it('serves GET /api/events from the replica, as /api/metrics shows', async () => {
      const metricsText = async () => (await fetch(`${server!.url}/api/metrics`)).text();
      // The server opens the replica at its first catalog read, and uses it once a check has passed.
      await vi.waitFor(
        async () => {
          expect((await fetch(`${server!.url}/api/events?q=aurora`)).status).toBe(200);
          expect(await metricsText()).toMatch(/^admitone_db_replica_in_use 1$/m);
        },
        { timeout: 60_000, interval: 500 },
      );
      // A search it has not cached is loaded from the replica.
      const res = await fetch(`${server!.url}/api/events?q=nights`);
      expect(((await res.json()) as SearchResult).items.map((item) => item.name)).toEqual(['Aurora Nights']);
      expect(await metricsText()).toMatch(/^admitone_db_reads_total\{target="replica"\} [1-9]/m);
      // The operators' health report says so too.
      const health = (await (await fetch(`${server!.url}/api/health/ready`)).json()) as { replica?: unknown };
      expect(health.replica).toMatchObject({ inUse: true, reason: 'ok' });
    });
  });

  it("never misses a buyer's own new order: orders read the primary, even while the replica is behind", async () => {
    const { event } = await createOnSaleEvent(primary!.db, { rows: 2 });
    await waitUntilInUse();
    await pair!.pauseReplay();
    try {
      const buyer = await createUser(primary!.db);
      const deps = checkoutTestDeps(primary!, new MemoryCoordinator(), new SimulatedGateway({ delayMs: 0 }));
      const hold = await holdSeats(deps, event.id, buyer.id, 2);
      const paid = await payForHold(
        deps,
        { ...buyer, role: 'customer' },
        { holdId: hold.id, paymentMethodId: 'pm_card_visa' },
        `replica-${buyer.id}`,
      );
      // What app/orders/page.tsx calls, with the database it passes.
      const orders = await listOrdersForViewer(await getDb(), buyer.id);
      expect(orders.map((o) => o.id)).toContain(paid.orderId);
      // The replica is still in use for the catalog, and does not have the order: reading it there would miss it.
      expect(readReplicaState()?.inUse).toBe(true);
      expect(await listOrdersForViewer(replicaDb(), buyer.id)).toEqual([]);
    } finally {
      await pair!.resumeReplay();
    }
  });

  it('reads only the catalog, event pages and layouts through getReadDb()', () => {
    // Holds, checkout, orders, tickets, accounts and admin pages must read what they just wrote: the primary.
    const root = join(__dirname, '../..');
    const callers: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        // A call on a line of code (not of a comment).
        else if (/\.tsx?$/.test(name) && /^(?!\s*(\*|\/\/)).*getReadDb\(/m.test(readFileSync(path, 'utf8')))
          callers.push(relative(root, path));
      }
    };
    for (const dir of ['app', 'lib', 'components']) walk(join(root, dir));
    expect(callers.sort()).toEqual([
      'app/api/events/[id]/layout/route.ts',
      'app/api/events/[id]/layout/unlocked/route.ts',
      'app/api/events/[id]/route.ts',
      'app/api/events/route.ts',
      'app/events/[id]/page.tsx',
      'app/events/page.tsx',
      'app/page.tsx',
    ]);
  });

  it('skips a replica that falls behind by more than the bound, and takes it back when it catches up', async () => {
    await waitUntilInUse();
    await pair!.pauseReplay();
    const pausedAt = Date.now();
    try {
      await createOnSaleEvent(primary!.db, { event: { name: 'Borealis Nights' } });
      // Replay is paused: the replica cannot have the new event, so a search there misses it (it may still be in use).
      clearCatalogCache();
      expect(names(await searchCatalog(replicaDb(), { q: 'borealis' }))).toEqual([]);

      await vi.waitFor(() => expect(readReplicaState()).toMatchObject({ inUse: false, reason: 'lagging' }), {
        timeout: 30_000,
        interval: 100,
      });
      // Not before the bound: everything it misses was written after the pause.
      expect(Date.now() - pausedAt).toBeGreaterThan(MAX_LAG_MS);
      expect(await metricValue('admitone_db_replica_lag_ms')).toBeGreaterThan(MAX_LAG_MS);
      expect(await metricValue('admitone_db_replica_in_use')).toBe(0);
      expect(await getReadDb()).toBe(primary!.db);
      expect(await search('borealis')).toEqual(['Borealis Nights']);
    } finally {
      await pair!.resumeReplay();
    }
    await waitUntilInUse();
    expect(await getReadDb()).toBe(replicaDb());
    expect(await search('borealis')).toEqual(['Borealis Nights']);
  });

  it('skips a replica that stops (a read it fails goes to the primary) and takes it back when it is up', async () => {
    await waitUntilInUse();
    const db = await getReadDb();
    expect(db).toBe(replicaDb());
    pair!.stopReplica();
    // A read already handed the replica fails there and is answered by the primary; the replica is skipped at once.
    const before = await metricValue('admitone_db_reads_total', { target: 'primary' });
    clearCatalogCache();
    expect(names(await searchCatalog(db, { q: 'aurora' }))).toEqual(['Aurora Nights']);
    expect(await metricValue('admitone_db_reads_total', { target: 'primary' })).toBe(before + 1);
    expect(readReplicaState()).toMatchObject({ inUse: false, reason: 'down' });
    expect(await getReadDb()).toBe(primary!.db);
    // The background check keeps it skipped while it is down.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(readReplicaState()).toMatchObject({ inUse: false, reason: 'down', lagMs: null });
    expect(await metricValue('admitone_db_replica_lag_ms')).toBe(-1);

    await pair!.startReplica();
    await waitUntilInUse();
    expect(await getReadDb()).toBe(replicaDb());
    expect(await search('aurora')).toEqual(['Aurora Nights']);
  });
});
