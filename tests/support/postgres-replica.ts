/**
 * A PostgreSQL primary and a streaming replica that a test owns, on spare ports (5441-5449): the primary is a fresh
 * cluster (bench/lib/services.ts, PostgreSQL 15's defaults already allow streaming: wal_level replica, wal senders,
 * hot_standby, and initdb's trust rules for replication from loopback); the replica is `pg_basebackup -R -X stream` of
 * it, started on the next port. The test can pause the replica's replay, stop it and start it again.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import postgres from 'postgres';
import { OwnedPostgres, portIn } from '../../bench/lib/services';

/** PostgreSQL's tools refuse to run as root: then they run as the postgres user. */
function pgTool(args: string[], what: string): void {
  const argv = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...args] : args;
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stdout}\n${result.stderr}`);
}

export class PrimaryAndReplica {
  private constructor(
    readonly primary: OwnedPostgres,
    readonly replica: OwnedPostgres,
  ) {}

  /**
   * Starts both. `prepare` runs on the primary's `database` before the base backup (creating and migrating it there
   * streams far less than doing it afterwards).
   */
  static async start(database: string, prepare: (url: string) => Promise<void>): Promise<PrimaryAndReplica> {
    const primary = new OwnedPostgres(await portIn(5441, 5449));
    let replica: OwnedPostgres | undefined;
    try {
      await primary.init();
      await prepare(await primary.createDatabase(database));
      replica = new OwnedPostgres(await portIn(primary.port + 1, 5449));
      // -R writes standby.signal and primary_conninfo; -X stream copies the WAL written during the backup too;
      // -c fast starts at once rather than waiting for a spread checkpoint.
      pgTool(
        [
          'pg_basebackup',
          '-h',
          '127.0.0.1',
          '-p',
          String(primary.port),
          '-U',
          'postgres',
          '-D',
          join(replica.dir, 'data'),
          '-R',
          '-X',
          'stream',
          '-c',
          'fast',
          '--no-sync',
        ],
        'pg_basebackup',
      );
      const pair = new PrimaryAndReplica(primary, replica);
      await pair.startReplica();
      return pair;
    } catch (error) {
      await replica?.destroy();
      await primary.destroy();
      throw error;
    }
  }

  primaryUrl(database: string): string {
    return this.primary.url(database);
  }

  replicaUrl(database: string): string {
    return this.replica.url(database);
  }

  /** `pg_ctl start -w`: returns once the standby accepts read-only connections. */
  startReplica(): Promise<void> {
    return this.replica.start();
  }

  /** Stops the replica abruptly (every connection to it breaks); `startReplica()` brings it back. */
  stopReplica(): void {
    this.replica.stopImmediate();
  }

  /** Replay stops: the replica keeps answering, with the data it had, and falls behind from the next commit. */
  pauseReplay(): Promise<void> {
    return this.onReplica('select pg_wal_replay_pause()');
  }

  resumeReplay(): Promise<void> {
    return this.onReplica('select pg_wal_replay_resume()');
  }

  /** Connections to `database` on the replica's server, by application name (pg_stat_activity). */
  replicaConnections(database: string): Promise<Record<string, number>> {
    return this.replica.connections(database);
  }

  /** Stops both servers and removes their directories. */
  async destroy(): Promise<void> {
    await this.replica.destroy();
    await this.primary.destroy();
  }

  private async onReplica(statement: string): Promise<void> {
    const client = postgres(this.replica.url(), { max: 1, onnotice: () => {} });
    try {
      await client.unsafe(statement);
    } finally {
      await client.end();
    }
  }
}
