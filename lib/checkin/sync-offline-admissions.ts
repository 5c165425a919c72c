import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import type { SyncOutcome, SyncRequest, SyncResult } from '@/lib/contracts/checkin';
import { log } from '@/lib/observability/log';
import { ADMITTED_ACTION } from '@/lib/tickets/check-ticket-code';
import { getEventPublicKey } from '@/lib/tickets/get-event-signing-key';
import { verifyTicketCode } from '@/lib/tickets/ticket-code';
import { scanPlace, type Scanner } from './resolve-scanner';

/** The audit action of an offline admission that found the ticket already let in elsewhere. */
export const CONFLICT_ACTION = 'ticket.admission_conflict';

/**
 * POST /api/checkin/sync: the admissions a scanner made offline, each stored once (`offline_scans`, unique per
 * event and the page's own id, so a sync sent twice changes nothing) with what it turned out to be:
 * - `admitted`: the ticket was still valid; it is now used from the time of the scan, at that gate;
 * - `conflict`: it had been let in already (online, or offline at another gate that synced first): two people, or
 *   one person twice, went in on one ticket. Flagged on the dashboard, never silently accepted and never dropped;
 * - `refused`: the code does not check out, or the ticket was voided after the scanner's last list.
 * Each admission locks its ticket row, so two gates syncing the same ticket at once get one `admitted` and one
 * `conflict`.
 */
export async function syncOfflineAdmissions(db: Database, scanner: Scanner, request: SyncRequest): Promise<SyncResult> {
  const place = await scanPlace(db, scanner, request);
  const publicKey = await getEventPublicKey(db, place.eventId);
  const actorId = scanner.kind === 'staff' ? scanner.viewer.id : null;
  const deviceId = scanner.kind === 'device' ? scanner.deviceId : null;
  const outcomes: SyncOutcome[] = [];
  const now = Date.now();
  for (const admission of request.admissions) {
    // A phone's clock may run ahead: an admission is never recorded as later than the server received it.
    const scannedAt = new Date(Math.min(Date.parse(admission.scannedAt), now));
    // The code as the scanner saw it then: a rotating code's window is checked against the time of the scan.
    const verified = await verifyTicketCode(admission.code, { publicKey, eventId: place.eventId, now: scannedAt });
    const codeProblem = !verified.ok ? verified.reason : verified.ticketId !== admission.ticketId ? 'malformed' : null;
    const outcome = await db.transaction(async (tx) => {
      const [ticket] = await rows<{
        status: string;
        nonce: string;
        used_at: Date | string | null;
        gate: string | null;
      }>(
        tx,
        sql`select status, nonce, used_at, admitted_gate as gate from tickets
            where id = ${admission.ticketId} and event_id = ${place.eventId} for update`,
      );
      const [already] = await rows<{
        outcome: SyncOutcome['outcome'];
        reason: string | null;
        first_gate: string | null;
        first_admitted_at: Date | string | null;
      }>(
        tx,
        sql`select outcome, reason, first_gate, first_admitted_at from offline_scans
            where event_id = ${place.eventId} and local_id = ${admission.localId}`,
      );
      if (already)
        return described(admission, already.outcome, already.reason, already.first_gate, already.first_admitted_at);

      let result: SyncOutcome;
      if (codeProblem || !ticket || ticket.status === 'void' || (verified.ok && ticket.nonce !== verified.nonce)) {
        result = described(admission, 'refused', codeProblem ?? 'revoked', null, null);
      } else if (ticket.status === 'used') {
        result = described(admission, 'conflict', 'already_admitted', ticket.gate, ticket.used_at);
      } else {
        await tx.execute(
          sql`update tickets set status = 'used', used_at = ${ts(scannedAt)}, admitted_gate = ${place.gateName}
              where id = ${admission.ticketId} and status = 'valid'`,
        );
        result = described(admission, 'admitted', null, null, null);
      }
      await tx.execute(
        sql`insert into offline_scans (event_id, ticket_id, local_id, gate, device_id, actor_id, scanned_at, outcome, reason, first_admitted_at, first_gate)
            values (${place.eventId}, ${admission.ticketId}, ${admission.localId}, ${place.gateName}, ${deviceId}, ${actorId},
                    ${ts(scannedAt)}, ${result.outcome}, ${result.reason ?? null},
                    ${result.firstAdmittedAt ? ts(new Date(result.firstAdmittedAt)) : null}, ${result.firstGate ?? null})`,
      );
      if (result.outcome !== 'refused')
        await tx.execute(
          sql`insert into audit_log (actor_id, action, entity_type, entity_id, after)
              values (${actorId}, ${result.outcome === 'admitted' ? ADMITTED_ACTION : CONFLICT_ACTION}, 'ticket', ${admission.ticketId},
                      jsonb_build_object('gate', ${place.gateName}::text, 'at', ${scannedAt.toISOString()}::text, 'offline', true, 'device', ${deviceId}::text))`,
        );
      return result;
    });
    if (outcome.outcome === 'conflict')
      log().warn(
        { ticketId: admission.ticketId, gate: place.gateName, firstGate: outcome.firstGate },
        'ticket admitted twice offline',
      );
    outcomes.push(outcome);
  }
  return { outcomes };
}

function described(
  admission: { localId: string; ticketId: string },
  outcome: SyncOutcome['outcome'],
  reason: string | null,
  firstGate: string | null,
  firstAdmittedAt: Date | string | null,
): SyncOutcome {
  return {
    localId: admission.localId,
    ticketId: admission.ticketId,
    outcome,
    ...(reason ? { reason } : {}),
    ...(outcome === 'conflict'
      ? { firstGate, firstAdmittedAt: firstAdmittedAt ? new Date(firstAdmittedAt).toISOString() : undefined }
      : {}),
  };
}
