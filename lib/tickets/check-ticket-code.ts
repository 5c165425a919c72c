import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { isUuid } from '@/lib/contracts/uuid';
import { currentDeviceKey } from './device-keys';
import { fromBase64Url, verifyTicketCode, type RejectedTicket, type VerifiedTicket } from './ticket-code';

/** The online answer: the offline one, and for a ticket already let in, when and at which gate. */
export type UsedTicket = { ok: false; reason: 'used'; ticketId: string; admittedAt: string; gate: string | null };
export type OnlineVerification = VerifiedTicket | RejectedTicket | UsedTicket;

/**
 * The online check (a scanner with a connection, the admission API, the tests): the offline verification with the
 * event's public key, then the ticket must still be live with the same nonce, and a rotating code must come from the
 * device key certified last for the ticket. A transferred or cancelled ticket's old code has a good signature but
 * fails here as `revoked`; a code from a replaced device as `device_replaced`; an admitted ticket as `used`.
 */
export async function checkTicketCode(
  db: Database,
  code: string,
  options: { eventId?: string; now?: Date } = {},
): Promise<OnlineVerification> {
  const eventId = options.eventId ?? eventOf(code);
  if (!eventId || !isUuid(eventId)) return { ok: false, reason: 'malformed' };
  const [key] = await rows<{ public_key: string }>(
    db,
    sql`select public_key from event_keys where event_id = ${eventId}`,
  );
  if (!key) return { ok: false, reason: 'wrong_event' };
  const verified = await verifyTicketCode(code, { publicKey: key.public_key, eventId, now: options.now });
  if (!verified.ok) return verified;
  if (!isUuid(verified.ticketId)) return { ok: false, reason: 'revoked', ticketId: verified.ticketId };
  const [ticket] = await rows<{ status: string; nonce: string; used_at: Date | string | null; gate: string | null }>(
    db,
    sql`select t.status, t.nonce, t.used_at,
               (select a.after->>'gate' from audit_log a
                 where a.entity_type = 'ticket' and a.entity_id = t.id::text and a.action = ${ADMITTED_ACTION} order by a.id desc limit 1) as gate
        from tickets t where t.id = ${verified.ticketId}`,
  );
  if (!ticket || ticket.status === 'void' || ticket.nonce !== verified.nonce)
    return { ok: false, reason: 'revoked', ticketId: verified.ticketId };
  if (ticket.status === 'used')
    return {
      ok: false,
      reason: 'used',
      ticketId: verified.ticketId,
      admittedAt: new Date(ticket.used_at!).toISOString(),
      gate: ticket.gate,
    };
  if (verified.kind === 'rotating') {
    const current = await currentDeviceKey(db, verified.ticketId);
    if (current !== null && current !== verified.deviceKey)
      return { ok: false, reason: 'device_replaced', ticketId: verified.ticketId };
  }
  return verified;
}

/** The audit action of a ticket let in at the door: `after` holds the gate and the time. */
export const ADMITTED_ACTION = 'ticket.admitted';

/** The event id a code claims (not yet verified): which public key to try. */
function eventOf(code: string): string | null {
  try {
    const payload = JSON.parse(new TextDecoder().decode(fromBase64Url(code.trim().split('.')[1] ?? ''))) as {
      e?: unknown;
    };
    return typeof payload.e === 'string' ? payload.e : null;
  } catch {
    return null;
  }
}
