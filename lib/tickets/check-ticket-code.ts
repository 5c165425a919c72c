import 'server-only';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { eventKeys, tickets } from '@/db/schema';
import { fromBase64Url, verifyTicketCode, type TicketVerification } from './ticket-code';

/**
 * The online check (a scanner with a connection, and the tests): the offline verification with the event's
 * public key, then the ticket must still be live with the same nonce. A transferred or cancelled ticket's old
 * code has a good signature but fails here as `revoked`.
 */
export async function checkTicketCode(db: Database, code: string, options: { eventId?: string; now?: Date } = {}): Promise<TicketVerification> {
  const eventId = options.eventId ?? eventOf(code);
  if (!eventId || !/^[0-9a-f-]{36}$/i.test(eventId)) return { ok: false, reason: 'malformed' };
  const [key] = await db.select({ publicKey: eventKeys.publicKey }).from(eventKeys).where(eq(eventKeys.eventId, eventId));
  if (!key) return { ok: false, reason: 'wrong_event' };
  const verified = await verifyTicketCode(code, { publicKey: key.publicKey, eventId, now: options.now });
  if (!verified.ok) return verified;
  const [ticket] = await db.select({ status: tickets.status, nonce: tickets.nonce }).from(tickets).where(eq(tickets.id, verified.ticketId));
  if (!ticket || ticket.status === 'void' || ticket.nonce !== verified.nonce) return { ok: false, reason: 'revoked', ticketId: verified.ticketId };
  if (ticket.status === 'used') return { ok: false, reason: 'used', ticketId: verified.ticketId };
  return verified;
}

/** The event id a code claims (not yet verified): which public key to try. */
function eventOf(code: string): string | null {
  try {
    const payload = JSON.parse(new TextDecoder().decode(fromBase64Url(code.trim().split('.')[1] ?? ''))) as { e?: unknown };
    return typeof payload.e === 'string' ? payload.e : null;
  } catch {
    return null;
  }
}
