import 'server-only';
import type { Role } from '@/lib/auth/viewer';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { auditLog, events, orderItems, tickets } from '@/db/schema';
import type { DeviceKeyResult } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { DEVICE_KEY_ACTION } from './device-keys';
import { getEventSigningKey } from './get-event-signing-key';
import { fromBase64Url, signDeviceCertificate } from './ticket-code';
import { seatText } from './ticket-code-for';

/** Certificates last until a day after the start: long enough for the night, useless for the next event. */
const VALID_AFTER_START_MS = 24 * 60 * 60 * 1000;

/**
 * POST /api/tickets/{id}/device-key: certifies the public half of a key that the owner's browser made (its private
 * half never leaves the browser), so that browser can sign the rotating code every 30 seconds, offline. The
 * certificate names the ticket and its nonce: after a transfer or cancellation it is revoked with the ticket.
 * A ticket has one device at a time: the key certified last is the ticket's (recorded in the audit log, where the
 * online check and admission read it, lib/tickets/device-keys.ts), and codes from any earlier device are refused.
 */
export async function certifyDeviceKey(
  db: Database,
  viewer: { id: string; role: Role },
  ticketId: string,
  devicePublicKey: string,
): Promise<DeviceKeyResult> {
  // Not a uuid: no such ticket (PostgreSQL would refuse to compare it with a uuid column).
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ticketId))
    throw new AppError('NOT_FOUND', 'No such ticket.');
  const [row] = await db
    .select({ ticket: tickets, item: orderItems, startsAt: events.startsAt })
    .from(tickets)
    .innerJoin(orderItems, eq(orderItems.id, tickets.orderItemId))
    .innerJoin(events, eq(events.id, tickets.eventId))
    .where(eq(tickets.id, ticketId));
  // Only the holder: an admin may look at a ticket, but a code for someone else's seat is not theirs to show.
  if (!row || row.ticket.ownerId !== viewer.id) throw new AppError('NOT_FOUND', 'No such ticket.');
  if (row.ticket.status !== 'valid') throw new AppError('INVALID_STATE', 'This ticket is no longer valid.');
  if (fromBase64Url(devicePublicKey).length !== 32)
    throw new AppError('VALIDATION_FAILED', 'publicKey must be 32 bytes.');

  const expires = new Date(row.startsAt.getTime() + VALID_AFTER_START_MS);
  const key = await getEventSigningKey(db, row.ticket.eventId);
  const delegation = await signDeviceCertificate(key.privateKey, {
    t: row.ticket.id,
    e: row.ticket.eventId,
    n: row.ticket.nonce,
    s: seatText(row.item),
    k: devicePublicKey,
    x: Math.floor(expires.getTime() / 1000),
  });
  await db.insert(auditLog).values({
    actorId: viewer.id,
    action: DEVICE_KEY_ACTION,
    entityType: 'ticket',
    entityId: row.ticket.id,
    after: { key: devicePublicKey },
  });
  return { delegation, expiresAt: expires.toISOString() };
}
