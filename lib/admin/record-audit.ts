import 'server-only';
import type { Database } from '@/db/client';
import { auditLog } from '@/db/schema';

export type AuditEntry = {
  actorId: string | null;
  action: string;
  entityType: 'venue' | 'event' | 'order' | 'seat' | 'user';
  entityId: string;
  before?: unknown;
  after?: unknown;
};

/** Appends to the audit log; call it inside the transaction of the change it records. */
export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
