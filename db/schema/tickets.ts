import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { createdAt, tz } from './columns';
import { orderItems, orders } from './checkout';
import { events } from './events';
import { eventSeats } from './inventory';

export const TICKET_STATUSES = ['valid', 'used', 'void'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'restrict' }),
    orderItemId: uuid('order_item_id')
      .notNull()
      .references(() => orderItems.id, { onDelete: 'restrict' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'restrict' }),
    eventSeatId: bigint('event_seat_id', { mode: 'number' })
      .notNull()
      .references(() => eventSeats.id, { onDelete: 'restrict' }),
    ownerId: text('owner_id')
      .notNull()
      .references(() => user.id, { onDelete: 'restrict' }),
    status: text('status', { enum: TICKET_STATUSES }).notNull().default('valid'),
    /** Random per issue; part of the signed code, so a re-issued ticket (transfer) has a new code. */
    nonce: text('nonce').notNull(),
    voidReason: text('void_reason', { enum: ['cancelled', 'transferred', 'event_cancelled'] }),
    transferredFromId: uuid('transferred_from_id'),
    issuedAt: createdAt(),
    usedAt: tz('used_at'),
    voidedAt: tz('voided_at'),
  },
  (t) => [
    check('tickets_status_check', sql`${t.status} in ('valid', 'used', 'void')`),
    check('tickets_void_check', sql`(${t.status} = 'void') = (${t.voidReason} is not null and ${t.voidedAt} is not null)`),
    // A seat is sold at most once: at most one live ticket per event seat.
    uniqueIndex('tickets_live_seat_unique').on(t.eventSeatId).where(sql`${t.status} in ('valid', 'used')`),
    index('tickets_owner_idx').on(t.ownerId),
    index('tickets_order_idx').on(t.orderId),
  ],
);
export type Ticket = typeof tickets.$inferSelect;

/** Ed25519 key pair per event; door scanners verify ticket codes offline with the public key. */
export const eventKeys = pgTable('event_keys', {
  eventId: uuid('event_id')
    .primaryKey()
    .references(() => events.id, { onDelete: 'cascade' }),
  publicKey: text('public_key').notNull(),
  /** PKCS#8, encrypted with TICKET_KEY_SECRET (AES-GCM). */
  privateKeyEncrypted: text('private_key_encrypted').notNull(),
  createdAt: createdAt(),
});
