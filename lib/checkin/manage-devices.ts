import 'server-only';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { gates, scannerDevices } from '@/db/schema';
import { recordAudit } from '@/lib/admin/record-audit';
import { AppError } from '@/lib/errors';
import { getCheckinEventOrThrow, getGateOrThrow } from './manage-gates';
import { deviceExpiry, hashScannerToken, makeScannerToken } from './scanner-token';

export type DeviceRow = {
  id: string;
  label: string;
  gateName: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastSeenAt: Date | null;
  state: 'active' | 'revoked' | 'expired';
};

export async function listDevices(db: Database, eventId: string, now: Date = new Date()): Promise<DeviceRow[]> {
  const found = await db
    .select({
      id: scannerDevices.id,
      label: scannerDevices.label,
      gateName: gates.name,
      createdAt: scannerDevices.createdAt,
      expiresAt: scannerDevices.expiresAt,
      revokedAt: scannerDevices.revokedAt,
      lastSeenAt: scannerDevices.lastSeenAt,
    })
    .from(scannerDevices)
    .innerJoin(gates, eq(gates.id, scannerDevices.gateId))
    .where(eq(scannerDevices.eventId, eventId))
    .orderBy(desc(scannerDevices.createdAt));
  return found.map((d) => ({
    ...d,
    state: d.revokedAt ? 'revoked' : d.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active',
  }));
}

/**
 * A scanner device for one gate of one event. The token comes back once, for the pairing link's QR code; only its
 * hash is stored, so nobody can show it again (pair another device instead).
 */
export async function createDevice(
  db: Database,
  actor: { id: string },
  input: { eventId: string; gateId: string; label: string },
  now: Date = new Date(),
): Promise<{ deviceId: string; token: string; expiresAt: Date }> {
  const event = await getCheckinEventOrThrow(db, input.eventId);
  const gate = await getGateOrThrow(db, input.eventId, input.gateId);
  const token = makeScannerToken();
  const expiresAt = deviceExpiry(event.startsAt, now);
  const device = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(scannerDevices)
      .values({
        eventId: input.eventId,
        gateId: gate.id,
        label: input.label,
        tokenHash: hashScannerToken(token),
        createdBy: actor.id,
        expiresAt,
      })
      .returning({ id: scannerDevices.id });
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'checkin.device_paired',
      entityType: 'event',
      entityId: input.eventId,
      after: { deviceId: row!.id, gate: gate.name, label: input.label },
    });
    return row!;
  });
  return { deviceId: device.id, token, expiresAt };
}

/** Revokes a device: its next request is a 401, and it can never be paired again with the same token. */
export async function revokeDevice(
  db: Database,
  actor: { id: string },
  input: { eventId: string; deviceId: string },
  now: Date = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(scannerDevices)
      .set({ revokedAt: now })
      .where(
        and(
          eq(scannerDevices.id, input.deviceId),
          eq(scannerDevices.eventId, input.eventId),
          isNull(scannerDevices.revokedAt),
        ),
      )
      .returning({ id: scannerDevices.id, label: scannerDevices.label });
    if (!revoked) throw new AppError('NOT_FOUND', 'No such active device for this event.');
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'checkin.device_revoked',
      entityType: 'event',
      entityId: input.eventId,
      before: { deviceId: revoked.id, label: revoked.label },
    });
  });
}
