import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import type { AdmissionResult, AdmitRequest } from '@/lib/contracts/tickets';
import { log } from '@/lib/observability/log';
import { ADMITTED_ACTION, checkTicketCode } from './check-ticket-code';

const REFUSALS: Record<Exclude<Extract<AdmissionResult, { admitted: false }>['reason'], 'already_admitted'>, string> = {
  malformed: 'Not an AdmitOne ticket code.',
  bad_signature: 'Forged or damaged code: not signed by this event.',
  wrong_event: 'This ticket is for another event.',
  expired: 'This live code has expired.',
  stale: 'Old live code (a screenshot?): ask for the live code on the phone.',
  revoked: 'This code was cancelled or transferred: ask for the current ticket.',
  device_replaced: 'This live code comes from a phone the ticket was moved away from: ask for the current live code.',
};

/**
 * POST /api/tickets/admit: lets the holder of a valid code in, exactly once. The code is checked online
 * (lib/tickets/check-ticket-code.ts), then one conditional UPDATE marks the ticket used only if it is still valid
 * with the same nonce, and records the gate in the audit log in the same statement. Of any number of scans, at once
 * or later, on one scanner or many, one gets `admitted: true`; every other one "already admitted at <time>, <gate>".
 */
export async function admitTicket(
  db: Database,
  request: AdmitRequest,
  actor: { id: string | null; deviceId?: string },
  now: Date = new Date(),
): Promise<AdmissionResult> {
  const checked = await checkTicketCode(db, request.code, { eventId: request.eventId, now });
  if (!checked.ok) {
    if (checked.reason === 'used') return alreadyAdmitted(db, checked.ticketId, checked.admittedAt, checked.gate);
    return {
      admitted: false,
      reason: checked.reason,
      ...(checked.ticketId ? { ticketId: checked.ticketId } : {}),
      message: REFUSALS[checked.reason],
    };
  }
  const [admitted] = await rows<{ id: string; used_at: Date | string }>(
    db,
    sql`with admitted as (
          update tickets set status = 'used', used_at = ${ts(now)}, admitted_gate = ${request.gate}
          where id = ${checked.ticketId} and event_id = ${request.eventId} and status = 'valid' and nonce = ${checked.nonce}
          returning id, used_at
        ), recorded as (
          insert into audit_log (actor_id, action, entity_type, entity_id, after)
          select ${actor.id}, ${ADMITTED_ACTION}, 'ticket', id::text, jsonb_build_object('gate', ${request.gate}::text, 'kind', ${checked.kind}::text, 'at', used_at, 'device', ${actor.deviceId ?? null}::text)
          from admitted
          returning id
        )
        select id, used_at from admitted`,
  );
  if (admitted) {
    log().info({ ticketId: admitted.id, gate: request.gate }, 'ticket admitted');
    return {
      admitted: true,
      ticketId: admitted.id,
      seat: checked.seat,
      kind: checked.kind,
      admittedAt: new Date(admitted.used_at).toISOString(),
      gate: request.gate,
    };
  }
  // Another scan won the race (or the ticket changed since the check): answer with what is there now.
  const again = await checkTicketCode(db, request.code, { eventId: request.eventId, now });
  if (!again.ok && again.reason === 'used') return alreadyAdmitted(db, again.ticketId, again.admittedAt, again.gate);
  const reason = again.ok ? 'revoked' : again.reason;
  return { admitted: false, reason, ticketId: checked.ticketId, message: REFUSALS[reason] };
}

async function alreadyAdmitted(
  db: Database,
  ticketId: string,
  admittedAt: string,
  gate: string | null,
): Promise<AdmissionResult> {
  const [event] = await rows<{ timezone: string }>(
    db,
    sql`select e.timezone from tickets t join events e on e.id = t.event_id where t.id = ${ticketId}`,
  );
  const time = new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium', timeZone: event?.timezone ?? 'UTC' }).format(
    new Date(admittedAt),
  );
  return {
    admitted: false,
    reason: 'already_admitted',
    ticketId,
    admittedAt,
    gate,
    message: `Already admitted at ${time}${gate ? `, ${gate}` : ''}.`,
  };
}
