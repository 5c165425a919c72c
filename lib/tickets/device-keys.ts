import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';

/** The audit action that records a certified device key: `after.key` is the key. */
export const DEVICE_KEY_ACTION = 'ticket.device_key';

/**
 * The device key certified last for a ticket (the one its rotating codes must carry), or null when none was recorded
 * (a certificate from before keys were recorded: still accepted, as its owner's phone would not ask again).
 * One indexed read (audit_log_entity_idx).
 */
export async function currentDeviceKey(db: Database, ticketId: string): Promise<string | null> {
  const [row] = await rows<{ key: string | null }>(
    db,
    sql`select after->>'key' as key from audit_log
        where entity_type = 'ticket' and entity_id = ${ticketId} and action = ${DEVICE_KEY_ACTION}
        order by id desc limit 1`,
  );
  return row?.key ?? null;
}
