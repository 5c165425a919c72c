import 'server-only';
import {
  getDb,
  onReadReplicaChange,
  readReplicaDb,
  readReplicaState,
  replicaReadFailed,
  type Database,
} from '@/db/client';
import { isAppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { metrics } from '@/lib/observability/metrics';

/**
 * Reads that may come from the read replica (getReadDb() in db/client.ts): catalog search, event details, layouts.
 * Each load that reaches a database is counted by the one that answered, and a replica that fails a read hands it to
 * the primary at once, instead of failing the buyer's page until the next background check notices
 * (docs/decisions/035-read-replica.md).
 */

const reads = metrics.counter(
  'admitone_db_reads_total',
  'Catalog, event page and layout loads that reached a database (cache misses), by the one that answered',
  ['target'],
);
metrics.gauge(
  'admitone_db_replica_lag_ms',
  'How far the read replica was behind the primary at its last check (ms); -1 while it does not answer, 0 without one',
  [],
  (gauge) => {
    const state = readReplicaState();
    gauge.set(state === null ? 0 : (state.lagMs ?? -1));
  },
);
metrics.gauge('admitone_db_replica_in_use', '1 while catalog reads go to the read replica, else 0', [], (gauge) =>
  gauge.set(readReplicaState()?.inUse ? 1 : 0),
);

onReadReplicaChange((state) => {
  if (state.inUse) log().info({ lagMs: state.lagMs }, 'read replica in use: catalog reads go to it');
  else
    log().warn({ reason: state.reason, lagMs: state.lagMs }, 'read replica skipped: catalog reads go to the primary');
});

/**
 * Runs `read` on `db` (from getReadDb(), or the primary). When `db` is the replica and the read fails for a reason
 * that is not the domain's answer (the connection broke, a query was cancelled by replay), the replica is skipped and
 * the read runs on the primary. With `confirmMissing`, a NOT_FOUND from the replica is asked of the primary too: an
 * event published a moment ago may not have reached the replica yet.
 */
export async function readWithFallback<T>(
  db: Database,
  read: (db: Database) => Promise<T>,
  options: { confirmMissing?: boolean } = {},
): Promise<T> {
  const onReplica = db === readReplicaDb();
  reads.inc({ target: onReplica ? 'replica' : 'primary' });
  if (!onReplica) return read(db);
  try {
    return await read(db);
  } catch (error) {
    const missing = isAppError(error) && error.code === 'NOT_FOUND';
    if (isAppError(error) && !(missing && options.confirmMissing)) throw error;
    if (!missing) {
      log().warn({ err: error }, 'a read on the replica failed: skipping it, and reading the primary');
      replicaReadFailed();
    }
    reads.inc({ target: 'primary' });
    return read(await getDb());
  }
}
