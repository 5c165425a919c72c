import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { log } from '@/lib/observability/log';

/** How often an instance reads the catalog version: a change on another instance shows here about this much later. */
const VERSION_POLL_MS = 1_000;

/**
 * Which catalog an instance's cached results belong to: the database's catalog version (read at most once a
 * second, shared by every instance) and this process's own changes since (seen at once, before the next read).
 * Cached entries stamped with another `current()` are misses.
 */
export class CatalogVersion {
  private database = '0';
  private local = 0;
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: { pollMs?: number; now?: () => number } = {},
  ) {}

  /**
   * The version to stamp and check entries with. Once the last read is a second old, the next call starts a new
   * one and answers under the version read a moment ago: in steady traffic a hot query never waits for the
   * database, and a change is seen about a second after it commits. A call waits for the read only when the last one
   * is two intervals old (an idle instance, or reads that keep failing), so no answer is ever staler than that.
   */
  async current(): Promise<string> {
    const age = (this.options.now ?? Date.now)() - this.readAt;
    const every = this.options.pollMs ?? VERSION_POLL_MS;
    if (age >= every) {
      const reading = (this.reading ??= this.read().finally(() => (this.reading = undefined)));
      if (age >= 2 * every) await reading;
    }
    return `${this.database}.${this.local}`;
  }

  /** This process changed the catalog: its own entries are stale at once. */
  bump(): void {
    this.local++;
  }

  private async read(): Promise<void> {
    try {
      const [row] = await rows<{ version: string }>(
        this.db,
        sql`select version::text as version from catalog_version where id = 1`,
      );
      // No row (a fresh or truncated database) is version 0; versions are compared for equality, never order.
      this.database = row?.version ?? '0';
    } catch (error) {
      // The database does not answer: keep serving what is cached under the last version read (no write can commit
      // there either), and try again at the next poll.
      log().warn({ err: error }, 'catalog version not read; cached search results kept under the last version read');
    }
    this.readAt = (this.options.now ?? Date.now)();
  }
}

/**
 * Bumps the database's catalog version. Inside the writer's transaction the new version becomes visible exactly when
 * the change does; after the commit it works too (what readers loaded in between is dropped at the bump).
 */
export async function bumpDatabaseVersion(db: Database): Promise<void> {
  await db.execute(
    sql`insert into catalog_version (id, version, changed_at) values (1, 1, now())
        on conflict (id) do update set version = catalog_version.version + 1, changed_at = now()`,
  );
}
