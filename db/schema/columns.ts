import { sql } from 'drizzle-orm';
import { boolean, customType, integer, real, text, timestamp } from 'drizzle-orm/pg-core';

/** A point in time, always with its time zone. */
export const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const createdAt = () => tz('created_at').notNull().defaultNow();
export const updatedAt = () =>
  tz('updated_at')
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** A 64-bit transaction id (PostgreSQL's xid8), read as text: the change feed's commit-safe watermark compares them. */
export const xid8 = customType<{ data: string }>({ dataType: () => 'xid8' });

/** ISO 4217 code in upper case, e.g. USD. */
export const currencyCheck = (column: unknown) => sql`${column} ~ '^[A-Z]{3}$'`;

/**
 * Where a seat is and what it is, copied from the venue's seat into each event's (a new set of columns per table):
 * `rowIndex`/`seatIndex` give physical order (seatIndex jumps over aisles), x/y place it on the map.
 */
export const seatPlace = () => ({
  rowLabel: text('row_label').notNull(),
  rowIndex: integer('row_index').notNull(),
  seatLabel: text('seat_label').notNull(),
  seatIndex: integer('seat_index').notNull(),
  x: real('x').notNull(),
  y: real('y').notNull(),
  wheelchair: boolean('wheelchair').notNull().default(false),
  companion: boolean('companion').notNull().default(false),
  restrictedView: boolean('restricted_view').notNull().default(false),
});
