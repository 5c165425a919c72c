import 'server-only';
import { asc, eq, gte, inArray, and } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, gates } from '@/db/schema';
import type { ScannerSession } from '@/lib/contracts/checkin';
import type { Scanner } from './resolve-scanner';

/** How far back staff can still pick an event: doors of an evening show close well within a day. */
const RECENT_MS = 24 * 3_600_000;

/**
 * What the /scan page needs to start: a device's one event and gate, or for door staff the published events that
 * have not long started, each with its gates (an event without gates cannot be scanned for: the organizer adds them).
 */
export async function getScannerSession(
  db: Database,
  scanner: Scanner,
  now: Date = new Date(),
): Promise<ScannerSession> {
  const list = await db
    .select({ id: events.id, name: events.name, startsAt: events.startsAt })
    .from(events)
    .where(
      scanner.kind === 'device'
        ? eq(events.id, scanner.eventId)
        : and(eq(events.status, 'published'), gte(events.startsAt, new Date(now.getTime() - RECENT_MS))),
    )
    .orderBy(asc(events.startsAt))
    .limit(200);
  const gateRows = list.length
    ? await db
        .select({ id: gates.id, name: gates.name, eventId: gates.eventId })
        .from(gates)
        .where(
          inArray(
            gates.eventId,
            list.map((e) => e.id),
          ),
        )
        .orderBy(asc(gates.createdAt))
    : [];
  const withGates = list
    .map((e) => ({
      id: e.id,
      name: e.name,
      startsAt: e.startsAt.toISOString(),
      gates: gateRows
        .filter((g) => g.eventId === e.id && (scanner.kind === 'staff' || g.id === scanner.gateId))
        .map(({ id, name }) => ({ id, name })),
    }))
    .filter((e) => e.gates.length > 0);
  return scanner.kind === 'device'
    ? { kind: 'device', label: scanner.label, events: withGates, gateId: scanner.gateId }
    : { kind: 'staff', label: scanner.viewer.name, events: withGates, gateId: null };
}
