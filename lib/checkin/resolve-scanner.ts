import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import { getViewer, type Viewer } from '@/lib/auth/viewer';
import { AppError } from '@/lib/errors';
import { getGateOrThrow } from './manage-gates';
import { hashScannerToken, SCANNER_TOKEN_PREFIX } from './scanner-token';

/** Who is scanning: a paired device (one event, one gate), or a signed-in door staff member or organizer. */
export type Scanner =
  | { kind: 'device'; deviceId: string; label: string; eventId: string; gateId: string; gateName: string }
  | { kind: 'staff'; viewer: Viewer };

/**
 * The scanner behind a request. A device sends its token as `Authorization: Bearer aos_…` (the /scan page keeps it
 * in the phone's storage; never a cookie, so no other site can make a phone scan). Any bearer token that is not a
 * live device's (forged, revoked, expired) is 401, whatever cookies come with it. Without one, the session must be
 * door staff or an admin: 401 signed out, 403 anyone else.
 */
export async function resolveScanner(db: Database, headers: Headers, now: Date = new Date()): Promise<Scanner> {
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const token = /^Bearer\s+(\S{1,200})$/i.exec(authorization)?.[1];
    if (!token || !token.startsWith(SCANNER_TOKEN_PREFIX))
      throw new AppError('UNAUTHENTICATED', 'This scanner is not paired: open a new pairing link.');
    const [device] = await rows<{ id: string; label: string; event_id: string; gate_id: string; gate_name: string }>(
      db,
      sql`update scanner_devices d set last_seen_at = ${ts(now)}
          from gates g
          where d.token_hash = ${hashScannerToken(token)} and d.revoked_at is null and d.expires_at > ${ts(now)}
            and g.id = d.gate_id
          returning d.id, d.label, d.event_id, g.id as gate_id, g.name as gate_name`,
    );
    if (!device)
      throw new AppError(
        'UNAUTHENTICATED',
        'This scanner was revoked or its pairing expired: open a new pairing link.',
      );
    return {
      kind: 'device',
      deviceId: device.id,
      label: device.label,
      eventId: device.event_id,
      gateId: device.gate_id,
      gateName: device.gate_name,
    };
  }
  const viewer = await getViewer(headers);
  if (!viewer) throw new AppError('UNAUTHENTICATED', 'Sign in as door staff, or pair this phone as a scanner.');
  if (viewer.role !== 'door' && viewer.role !== 'admin')
    throw new AppError('FORBIDDEN', 'This needs a door staff account.');
  return { kind: 'staff', viewer };
}

/**
 * Where a scan happens. A device scans only for its own event and gate: naming another event is 403 (a device is
 * scoped to one event). Staff name the event and one of its gates.
 */
export async function scanPlace(
  db: Database,
  scanner: Scanner,
  request: { eventId?: string; gateId?: string },
): Promise<{ eventId: string; gateId: string; gateName: string }> {
  if (scanner.kind === 'device') {
    if (
      (request.eventId && request.eventId !== scanner.eventId) ||
      (request.gateId && request.gateId !== scanner.gateId)
    )
      throw new AppError('FORBIDDEN', 'This scanner is paired to another event or gate.');
    return { eventId: scanner.eventId, gateId: scanner.gateId, gateName: scanner.gateName };
  }
  if (!request.eventId || !request.gateId)
    throw new AppError('VALIDATION_FAILED', 'Choose the event and the gate you are scanning at.');
  const gate = await getGateOrThrow(db, request.eventId, request.gateId);
  return { eventId: request.eventId, gateId: gate.id, gateName: gate.name };
}
