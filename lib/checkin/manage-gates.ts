import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, gates, type Gate } from '@/db/schema';
import { recordAudit } from '@/lib/admin/record-audit';
import { PG, pgErrorCode } from '@/db/sql';
import { isUuid } from '@/lib/contracts/uuid';
import { AppError } from '@/lib/errors';

export async function listGates(db: Database, eventId: string): Promise<Gate[]> {
  return db.select().from(gates).where(eq(gates.eventId, eventId)).orderBy(asc(gates.createdAt), asc(gates.name));
}

/** The event, or 404: every check-in action names one. */
export async function getCheckinEventOrThrow(db: Database, eventId: string) {
  if (!isUuid(eventId)) throw new AppError('NOT_FOUND', 'No such event.');
  const [event] = await db
    .select({ id: events.id, name: events.name, startsAt: events.startsAt, timezone: events.timezone })
    .from(events)
    .where(eq(events.id, eventId));
  if (!event) throw new AppError('NOT_FOUND', 'No such event.');
  return event;
}

/** A gate of the event, or 404 (a gate id of another event names nothing here). */
export async function getGateOrThrow(db: Database, eventId: string, gateId: string): Promise<Gate> {
  const [gate] = await db
    .select()
    .from(gates)
    .where(and(eq(gates.id, gateId), eq(gates.eventId, eventId)));
  if (!gate) throw new AppError('NOT_FOUND', 'No such gate for this event.');
  return gate;
}

export async function createGate(
  db: Database,
  actor: { id: string },
  input: { eventId: string; name: string },
): Promise<Gate> {
  await getCheckinEventOrThrow(db, input.eventId);
  try {
    return await db.transaction(async (tx) => {
      const [gate] = await tx.insert(gates).values({ eventId: input.eventId, name: input.name }).returning();
      await recordAudit(tx, {
        actorId: actor.id,
        action: 'checkin.gate_created',
        entityType: 'event',
        entityId: input.eventId,
        after: { gateId: gate!.id, name: gate!.name },
      });
      return gate!;
    });
  } catch (error) {
    if (pgErrorCode(error) === PG.uniqueViolation)
      throw new AppError('CONFLICT', `This event already has a gate called “${input.name}”.`);
    throw error;
  }
}

/** Removes a gate and, with it, the devices paired to it (their tokens stop working at once). */
export async function deleteGate(
  db: Database,
  actor: { id: string },
  input: { eventId: string; gateId: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(gates)
      .where(and(eq(gates.id, input.gateId), eq(gates.eventId, input.eventId)))
      .returning();
    if (!gone) throw new AppError('NOT_FOUND', 'No such gate for this event.');
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'checkin.gate_deleted',
      entityType: 'event',
      entityId: input.eventId,
      before: { gateId: gone.id, name: gone.name },
    });
  });
}
