import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { createdAt, tz } from './columns';
import { events } from './events';

/**
 * Door check-in (docs/decisions/038-door-check-in.md). An event's gates, as its organizer names them; the name is
 * what a second scan reads ("Already admitted at 20:01, North gate") and what the dashboard counts by.
 */
export const gates = pgTable(
  'gates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('gates_name_check', sql`char_length(${t.name}) between 1 and 40`),
    uniqueIndex('gates_event_name_unique').on(t.eventId, sql`lower(${t.name})`),
  ],
);
export type Gate = typeof gates.$inferSelect;

/**
 * A phone paired to one event and one gate by a pairing link. Only the SHA-256 of its token is stored; the token is
 * shown once, as a QR code. Revoking, or the expiry, makes every request with it a 401.
 */
export const scannerDevices = pgTable(
  'scanner_devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    gateId: uuid('gate_id')
      .notNull()
      .references(() => gates.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: tz('expires_at').notNull(),
    revokedAt: tz('revoked_at'),
    lastSeenAt: tz('last_seen_at'),
  },
  (t) => [
    uniqueIndex('scanner_devices_token_unique').on(t.tokenHash),
    index('scanner_devices_event_idx').on(t.eventId),
    check('scanner_devices_label_check', sql`char_length(${t.label}) between 1 and 40`),
  ],
);
export type ScannerDevice = typeof scannerDevices.$inferSelect;

export const OFFLINE_SCAN_OUTCOMES = ['admitted', 'conflict', 'refused'] as const;

/**
 * Every admission a scanner made offline, as it synced it. `admitted`: the ticket was still valid and is now used
 * from the scan's time; `conflict`: it had already been let in elsewhere (shown on the dashboard, never dropped);
 * `refused`: the ticket had been voided since the scanner's last list. `(event_id, local_id)` makes a re-sent sync
 * harmless.
 */
export const offlineScans = pgTable(
  'offline_scans',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id').notNull(),
    localId: uuid('local_id').notNull(),
    gate: text('gate').notNull(),
    deviceId: uuid('device_id').references(() => scannerDevices.id, { onDelete: 'set null' }),
    actorId: text('actor_id').references(() => user.id, { onDelete: 'set null' }),
    scannedAt: tz('scanned_at').notNull(),
    syncedAt: createdAt(),
    outcome: text('outcome', { enum: OFFLINE_SCAN_OUTCOMES }).notNull(),
    reason: text('reason'),
    /** For a conflict: when and where the ticket had been let in first. */
    firstAdmittedAt: tz('first_admitted_at'),
    firstGate: text('first_gate'),
  },
  (t) => [
    check('offline_scans_outcome_check', sql`${t.outcome} in ('admitted', 'conflict', 'refused')`),
    uniqueIndex('offline_scans_local_unique').on(t.eventId, t.localId),
    index('offline_scans_flagged_idx')
      .on(t.eventId)
      .where(sql`${t.outcome} <> 'admitted'`),
  ],
);
export type OfflineScan = typeof offlineScans.$inferSelect;
