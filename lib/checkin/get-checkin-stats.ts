import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import type { CheckinStats } from '@/lib/contracts/checkin';
import { getCheckinEventOrThrow } from './manage-gates';

/**
 * The dashboard's check-in figures, polled every few seconds while the doors are open: entries per gate, the share
 * of live tickets scanned (a gate nobody has come through yet at 0), and the offline admissions flagged on sync. Reads the tickets index by event and status.
 */
export async function getCheckinStats(db: Database, eventId: string, now: Date = new Date()): Promise<CheckinStats> {
  await getCheckinEventOrThrow(db, eventId);
  const [totals, perGate, flagged] = await Promise.all([
    rows<{ tickets: number; admitted: number }>(
      db,
      sql`select count(*)::int as tickets, (count(*) filter (where status = 'used'))::int as admitted
          from tickets where event_id = ${eventId} and status in ('valid', 'used')`,
    ),
    rows<{ gate: string | null; entries: number }>(
      db,
      // Every gate the organizer named, at 0 until someone comes through it, and any other name a ticket was let in at.
      sql`select gate, sum(entries)::int as entries from (
            select admitted_gate as gate, count(*) as entries from tickets
              where event_id = ${eventId} and status = 'used' group by admitted_gate
            union all
            select name as gate, 0 as entries from gates where event_id = ${eventId}
          ) g group by gate order by entries desc, gate nulls last`,
    ),
    rows<{
      ticket_id: string;
      gate: string;
      scanned_at: Date | string;
      outcome: 'conflict' | 'refused';
      first_gate: string | null;
      first_admitted_at: Date | string | null;
      reason: string | null;
    }>(
      db,
      sql`select ticket_id, gate, scanned_at, outcome, first_gate, first_admitted_at, reason from offline_scans
          where event_id = ${eventId} and outcome <> 'admitted' order by scanned_at desc limit 100`,
    ),
  ]);
  const { tickets = 0, admitted = 0 } = totals[0] ?? {};
  return {
    eventId,
    tickets,
    admitted,
    share: tickets === 0 ? 0 : admitted / tickets,
    gates: perGate.map((g) => ({ gate: g.gate ?? 'Unnamed gate', entries: g.entries })),
    conflicts: flagged.map((f) => ({
      ticketId: f.ticket_id,
      gate: f.gate,
      scannedAt: new Date(f.scanned_at).toISOString(),
      outcome: f.outcome,
      firstGate: f.first_gate,
      firstAdmittedAt: f.first_admitted_at ? new Date(f.first_admitted_at).toISOString() : null,
      reason: f.reason,
    })),
    generatedAt: now.toISOString(),
  };
}
