import 'server-only';
import { getDb } from '@/db/client';
import { getCoordinator } from '@/lib/coordination';
import type { QueueDeps } from './context';

/** The process-wide dependencies of the waiting room: the database, and the queue store and leases of the coordinator. */
export async function queueDeps(): Promise<QueueDeps> {
  const { queue, leases } = getCoordinator();
  return { db: await getDb(), queue, leases };
}
