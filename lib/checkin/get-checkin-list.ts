import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import type { SignedCheckinList } from '@/lib/contracts/checkin';
import { getEventSigningKey } from '@/lib/tickets/get-event-signing-key';
import { getCheckinEventOrThrow } from './manage-gates';
import { signCheckinList } from './signed-list';

/**
 * What an offline scanner keeps (GET /api/checkin/list): the tickets voided and the tickets already let in, signed
 * with the event's key. One indexed read of the event's tickets that are not plain valid ones.
 */
export async function getCheckinList(
  db: Database,
  eventId: string,
  now: Date = new Date(),
): Promise<SignedCheckinList> {
  await getCheckinEventOrThrow(db, eventId);
  const found = await rows<{ id: string; status: string; gate: string | null; used_at: Date | string | null }>(
    db,
    sql`select id, status, admitted_gate as gate, used_at from tickets where event_id = ${eventId} and status in ('used', 'void')`,
  );
  const key = await getEventSigningKey(db, eventId);
  return signCheckinList(key.privateKey, key.publicKey, {
    v: 1,
    eventId,
    generatedAt: now.toISOString(),
    revoked: found.filter((t) => t.status === 'void').map((t) => t.id),
    admitted: found
      .filter((t) => t.status === 'used')
      .map((t) => ({ t: t.id, g: t.gate, at: new Date(t.used_at!).toISOString() })),
  });
}
