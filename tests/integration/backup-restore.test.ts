import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { BackupError, backupDatabase, restoreDatabase } from '@/db/backups';
import { DataDirLockedError, openDatabase, openPglite } from '@/db/client';
import { migrate } from '@/db/migrations-runner';
import { rows } from '@/db/sql';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { auditInventory } from '@/lib/inventory';
import { parseEnv } from '@/lib/env';
import { checkoutTestDeps, holdSeats } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { realDatabaseUrl, withDatabase } from '../support/services';

/**
 * Issue 19, backups that restore: a backup taken in the middle of a sale restores into a fresh database whose
 * inventory audit is clean and which holds a moment of that sale (every paid order it has is paid in the source).
 */
const scratch = mkdtempSync(join(tmpdir(), 'admitone-backup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const paidOrders = async (db: Parameters<typeof rows>[0]) =>
  (await rows<{ id: string }>(db, sql`select id from orders where status = 'paid' order by id`)).map((r) => r.id);

describe.skipIf(!realDatabaseUrl)('backup and restore on PostgreSQL', () => {
  const { handle, url } = useTestDatabase({ reset: false, maxConnections: 12 });
  const { coordinator } = useTestCoordinator();
  let target = '';
  afterAll(async () => {
    if (!target) return;
    const admin = postgres(withDatabase(realDatabaseUrl!, 'postgres'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${target}" with (force)`);
    await admin.end();
  });

  it('restores a backup taken mid-sale into a new database: audit clean, a consistent moment of the sale', async () => {
    const deps = checkoutTestDeps(handle(), coordinator(), new SimulatedGateway({ delayMs: 20 }));
    const { event } = await createOnSaleEvent(handle().db, { rows: 30, seatsPerRow: 10 });
    const file = join(scratch, 'mid-sale.dump');
    // The sale: four tills, each a new buyer holding two seats and paying, one after another. The backup starts when
    // ten orders are paid, and the sale goes on until five more are paid after it finished.
    let next = 0;
    let paid = 0;
    let backup: Promise<unknown> | undefined;
    let paidWhenBackupEnded = Infinity;
    const till = async () => {
      while (paid < paidWhenBackupEnded + 5 && next < 150) {
        const buyer = await createUser(handle().db);
        const hold = await holdSeats(deps, event.id, buyer.id, 2, 2 * next++);
        await payForHold(
          deps,
          { ...buyer, role: 'customer' },
          { holdId: hold.id, paymentMethodId: 'pm_card_visa' },
          `backup-${buyer.id}`,
        );
        if (++paid === 10)
          backup = backupDatabase(parseEnv({ DATABASE_URL: url() }), file).then(() => (paidWhenBackupEnded = paid));
      }
    };
    await Promise.all([till(), till(), till(), till()]);
    await backup;
    const sourcePaid = await paidOrders(handle().db);

    target = `${new URL(url()).pathname.slice(1)}_restored`;
    const admin = postgres(withDatabase(realDatabaseUrl!, 'postgres'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${target}"`);
    await admin.end();
    const restoredEnv = parseEnv({ DATABASE_URL: withDatabase(realDatabaseUrl!, target) });
    const started = Date.now();
    await restoreDatabase(restoredEnv, file);
    const restored = await openDatabase(restoredEnv, { maxConnections: 2 });
    try {
      expect((await migrate(restored)).applied).toBe(0);
      const audit = await auditInventory(restored.db);
      expect(audit.violations).toEqual([]);
      const restoredPaid = await paidOrders(restored.db);
      // The moment the backup saw: at least the orders paid before it began, none the source does not have as paid.
      expect(restoredPaid.length).toBeGreaterThanOrEqual(10);
      expect(restoredPaid.length).toBeLessThan(sourcePaid.length);
      expect(restoredPaid.every((id) => sourcePaid.includes(id))).toBe(true);
      const [counts] = await rows<{ sold: number; tickets: number }>(
        restored.db,
        sql`select (select count(*) from event_seats where event_id = ${event.id} and status = 'sold')::int as sold,
                   (select count(*) from tickets where event_id = ${event.id})::int as tickets`,
      );
      expect(counts).toEqual({ sold: restoredPaid.length * 2, tickets: restoredPaid.length * 2 });
      console.info(
        `backup mid-sale: ${restoredPaid.length} of ${sourcePaid.length} orders paid in the backup, restored in ${Date.now() - started} ms, audit clean`,
      );
    } finally {
      await restored.close();
    }

    // A database that holds data is not overwritten by accident.
    await expect(restoreDatabase(restoredEnv, file)).rejects.toThrow(/already holds \d+ tables.*--force/);
  });
});

describe('backup and restore of the embedded database', () => {
  it('restores a PGlite dump into a new data directory, refuses to overwrite one, and keeps the old one aside', async () => {
    const source = parseEnv({ ADMITONE_DATA_DIR: join(scratch, 'source') });
    const copy = parseEnv({ ADMITONE_DATA_DIR: join(scratch, 'copy') });
    const db = await openPglite(join(source.ADMITONE_DATA_DIR, 'pglite'));
    // One table is enough to tell the copy from an empty directory (migrating PGlite would take most of the test).
    const email = `${crypto.randomUUID()}@example.test`;
    await db.db.execute(sql`create table marker (email text)`);
    await db.db.execute(sql`insert into marker values (${email})`);
    await db.close();
    // While an app has the directory open (here: its lock file names another live process), a backup would race
    // it: PGlite allows one process per directory.
    const lock = join(source.ADMITONE_DATA_DIR, 'pglite', 'admitone.lock');
    writeFileSync(lock, String(process.ppid));
    await expect(backupDatabase(source, join(scratch, 'open.tar.gz'))).rejects.toBeInstanceOf(DataDirLockedError);
    rmSync(lock);

    const file = join(scratch, 'embedded.tar.gz');
    expect((await backupDatabase(source, file)).bytes).toBeGreaterThan(0);
    await restoreDatabase(copy, file);
    const restored = await openPglite(join(copy.ADMITONE_DATA_DIR, 'pglite'));
    try {
      expect(await rows<{ email: string }>(restored.db, sql`select email from marker`)).toEqual([{ email }]);
    } finally {
      await restored.close();
    }

    await expect(restoreDatabase(copy, file)).rejects.toBeInstanceOf(BackupError);
    const { replaced } = await restoreDatabase(copy, file, { force: true });
    expect(replaced).toMatch(/pglite\.before-restore-/);
    expect(readdirSync(copy.ADMITONE_DATA_DIR).sort()).toEqual(['pglite', replaced!.split('/').pop()].sort());
    // A backup of the other kind is named for what it is.
    await expect(
      restoreDatabase(parseEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none' }), file),
    ).rejects.toThrow(/backup of the embedded database/);
  });
});
