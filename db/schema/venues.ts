import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, seatPlace, updatedAt } from './columns';

export const venues = pgTable('venues', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  city: text('city').notNull(),
  country: text('country').notNull().default('US'),
  address: text('address').notNull().default(''),
  timezone: text('timezone').notNull().default('UTC'),
  description: text('description').notNull().default(''),
  /** Free-form drawing hints for the map (stage position, outline). */
  drawing: jsonb('drawing').$type<VenueDrawing>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
export type Venue = typeof venues.$inferSelect;
export type VenueDrawing = {
  stage?: { x: number; y: number; width: number; height: number; label?: string };
  /** The layout file the venue was built from (export gives it back unchanged); venues made before it was kept have none. */
  layout?: unknown;
};

export const sections = pgTable(
  'sections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id, { onDelete: 'cascade' }),
    /** Short label printed on tickets, e.g. "104" or "Stalls". Unique within the venue. */
    label: text('label').notNull(),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    unique('sections_venue_label_unique').on(t.venueId, t.label),
    check('sections_label_check', sql`length(${t.label}) between 1 and 40`),
  ],
);
export type Section = typeof sections.$inferSelect;

/**
 * A physical seat. `rowIndex`/`seatIndex` give physical order (seatIndex jumps over aisles, so two seats are
 * adjacent exactly when their seatIndex differs by one); x/y place it on the map.
 */
export const seats = pgTable(
  'seats',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id, { onDelete: 'cascade' }),
    sectionId: uuid('section_id')
      .notNull()
      .references(() => sections.id, { onDelete: 'cascade' }),
    ...seatPlace(),
  },
  (t) => [
    unique('seats_section_row_seat_label_unique').on(t.sectionId, t.rowLabel, t.seatLabel),
    unique('seats_section_position_unique').on(t.sectionId, t.rowIndex, t.seatIndex),
    index('seats_venue_idx').on(t.venueId),
  ],
);
export type Seat = typeof seats.$inferSelect;
