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
    /** The gate that let it in (door check-in counts entries per gate; the audit log keeps the same fact). */
    admittedGate: text('admitted_gate'),
    voidedAt: tz('voided_at'),
  },
  (t) => [
    check('tickets_status_check', sql`${t.status} in ('valid', 'used', 'void')`),
    check(
      'tickets_void_check',
      sql`(${t.status} = 'void') = (${t.voidReason} is not null and ${t.voidedAt} is not null)`,
    ),
    // A seat is sold at most once: at most one live ticket per event seat.
    uniqueIndex('tickets_live_seat_unique')
      .on(t.eventSeatId)
      .where(sql`${t.status} in ('valid', 'used')`),
    index('tickets_owner_idx').on(t.ownerId),
    index('tickets_order_idx').on(t.orderId),
    index('tickets_event_status_idx').on(t.eventId, t.status),
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

export const TRANSFER_STATUSES = ['pending', 'claimed', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/**
 * A ticket on its way to someone else (docs/decisions/028-ticket-transfers.md). The ticket stays its sender's, and
 * valid, until the person with the emailed link claims it signed in with that email: only then is it reissued to
 * them with a new code. The sender can cancel until then. The link's secret is stored only as its SHA-256.
 */
export const ticketTransfers = pgTable(
  'ticket_transfers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'restrict' }),
    fromUserId: text('from_user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'restrict' }),
    /** Lower case, as sign-up stores emails. */
    toEmail: text('to_email').notNull(),
    tokenHash: text('token_hash').notNull(),
    status: text('status', { enum: TRANSFER_STATUSES }).notNull().default('pending'),
    /** The ticket issued to the recipient when claimed. */
    claimedTicketId: uuid('claimed_ticket_id'),
    createdAt: createdAt(),
    resolvedAt: tz('resolved_at'),
  },
  (t) => [
    check('ticket_transfers_status_check', sql`${t.status} in ('pending', 'claimed', 'cancelled')`),
    check('ticket_transfers_resolved_check', sql`(${t.status} = 'pending') = (${t.resolvedAt} is null)`),
    check('ticket_transfers_claimed_check', sql`(${t.status} = 'claimed') = (${t.claimedTicketId} is not null)`),
    // One transfer in flight per ticket: a second offer would race the first to the same seat.
    uniqueIndex('ticket_transfers_pending_ticket_unique')
      .on(t.ticketId)
      .where(sql`${t.status} = 'pending'`),
    uniqueIndex('ticket_transfers_token_unique').on(t.tokenHash),
    index('ticket_transfers_to_email_idx')
      .on(t.toEmail)
      .where(sql`${t.status} = 'pending'`),
    index('ticket_transfers_from_idx').on(t.fromUserId),
  ],
);
export type TicketTransfer = typeof ticketTransfers.$inferSelect;
