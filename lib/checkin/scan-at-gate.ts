import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { isUuid } from '@/lib/contracts/uuid';
import type { ScanRequest } from '@/lib/contracts/checkin';
import type { AdmissionResult } from '@/lib/contracts/tickets';
import { admitTicket } from '@/lib/tickets/admit-ticket';
import { fromBase64Url, verifyTicketCode } from '@/lib/tickets/ticket-code';
import { scanPlace, type Scanner } from './resolve-scanner';

/**
 * One scan at a gate, online: the admission of decision 024 (one conditional UPDATE; of two gates scanning the same
 * ticket at once, one admits), at the scanner's event and gate. A code for another event says which event and day it
 * is for, when it truly is one of ours: every date of a show is its own event, so a ticket for tomorrow is refused here.
 */
export async function scanAtGate(
  db: Database,
  scanner: Scanner,
  request: ScanRequest,
  now: Date = new Date(),
): Promise<AdmissionResult> {
  const place = await scanPlace(db, scanner, request);
  const actor = scanner.kind === 'staff' ? scanner.viewer : { id: null, deviceId: scanner.deviceId };
  const result = await admitTicket(
    db,
    { code: request.code, eventId: place.eventId, gate: place.gateName },
    actor,
    now,
  );
  // Checked with this event's key, another event's genuine code reads as a bad signature: say what it really is.
  if (!result.admitted && (result.reason === 'wrong_event' || result.reason === 'bad_signature')) {
    const other = await otherEventOf(db, request.code, place.eventId, now);
    if (other)
      return {
        admitted: false,
        reason: 'wrong_event',
        ...(result.ticketId ? { ticketId: result.ticketId } : {}),
        message: `This ticket is for another event: ${other}.`,
      };
  }
  return result;
}

/** "Name, date" of the event a code is truly for (its signature checks out with that event's key), or null. */
async function otherEventOf(db: Database, code: string, here: string, now: Date): Promise<string | null> {
  let claimed: unknown;
  try {
    claimed = (JSON.parse(new TextDecoder().decode(fromBase64Url(code.trim().split('.')[1] ?? ''))) as { e?: unknown })
      .e;
  } catch {
    return null;
  }
  if (typeof claimed !== 'string' || claimed === here || !isUuid(claimed)) return null;
  const [event] = await rows<{ name: string; starts_at: Date | string; timezone: string; public_key: string }>(
    db,
    sql`select e.name, e.starts_at, e.timezone, k.public_key from events e join event_keys k on k.event_id = e.id where e.id = ${claimed}`,
  );
  if (!event) return null;
  const verified = await verifyTicketCode(code, { publicKey: event.public_key, eventId: claimed, now });
  if (!verified.ok && verified.reason !== 'stale' && verified.reason !== 'expired') return null;
  const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeZone: event.timezone }).format(
    new Date(event.starts_at),
  );
  return `${event.name}, ${day}`;
}
