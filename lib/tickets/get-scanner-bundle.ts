import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, tickets } from '@/db/schema';
import type { ScannerBundle } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { getEventPublicKey } from './get-event-signing-key';

/**
 * What a door scanner downloads before the doors open (admin only): the event's public key and the ids of
 * tickets voided so far (cancelled or transferred), whose codes still carry a valid signature but must not pass.
 */
export async function getScannerBundle(db: Database, eventId: string, now: Date = new Date()): Promise<ScannerBundle> {
  const [event] = await db.select({ id: events.id }).from(events).where(eq(events.id, eventId));
  if (!event) throw new AppError('NOT_FOUND', 'No such event.');
  const voided = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.eventId, eventId), eq(tickets.status, 'void')));
  return {
    eventId,
    publicKey: await getEventPublicKey(db, eventId),
    revokedTicketIds: voided.map((t) => t.id),
    generatedAt: now.toISOString(),
  };
}
