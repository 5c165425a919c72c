import { sql } from 'drizzle-orm';
import { customType, timestamp } from 'drizzle-orm/pg-core';

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
