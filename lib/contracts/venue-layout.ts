import { z } from 'zod';
import { timeZoneSchema } from './time-zone';

/**
 * A venue layout as JSON: what the venue builder edits, what import and export read and write
 * (documented in docs/venue-layout.md). Seats are generated from rows; positions are in map units
 * (one seat is about 10 units wide).
 */

const seatNumbers = z.array(z.number().int().min(1).max(2000)).max(500).default([]);
const label = z.string().trim().min(1).max(40);

export const rowSpec = z.object({
  label: z.string().trim().min(1).max(10),
  /** Number of seats in the row. */
  seats: z.number().int().min(1).max(400),
  /** Shift of the whole row, in seat widths (positive moves it to the right, e.g. to centre a shorter row). */
  offset: z.number().min(-200).max(200).default(0),
  /** Seat positions (1-based, counted from the left) after which an aisle gap opens. */
  aislesAfter: z.array(z.number().int().min(1).max(400)).max(20).default([]),
  /** Seat numbers (as printed) with these features. */
  wheelchair: seatNumbers,
  companion: seatNumbers,
  restrictedView: seatNumbers,
});
export type RowSpec = z.infer<typeof rowSpec>;

export const sectionSpec = z.object({
  label,
  name: z.string().trim().min(1).max(80),
  /** Where the middle of the first row sits on the map. */
  origin: z.object({ x: z.number().min(-100_000).max(100_000), y: z.number().min(-100_000).max(100_000) }),
  /** Turn of the section in degrees; 0 faces up towards a stage above it. */
  rotation: z.number().min(-360).max(360).default(0),
  /** Radius (map units) of the circle the rows bend around; 0 for straight rows. */
  curveRadius: z.number().min(0).max(100_000).default(0),
  seatSpacing: z.number().min(4).max(40).default(10),
  rowSpacing: z.number().min(4).max(60).default(12),
  /** Seat numbers increase left to right ('ltr') or right to left ('rtl'). */
  numbering: z.enum(['ltr', 'rtl']).default('ltr'),
  firstSeatNumber: z.number().int().min(0).max(10_000).default(1),
  rows: z.array(rowSpec).min(1, 'a section needs at least one row').max(200),
});
export type SectionSpec = z.infer<typeof sectionSpec>;

export const venueLayoutSchema = z
  .object({
    schema: z.literal('admitone.venue-layout/v1').default('admitone.venue-layout/v1'),
    name: z.string().trim().min(1).max(120),
    city: z.string().trim().min(1).max(80),
    country: z.string().trim().length(2).toUpperCase().default('US'),
    address: z.string().trim().max(200).default(''),
    timezone: timeZoneSchema.default('UTC'),
    description: z.string().trim().max(2000).default(''),
    stage: z
      .object({
        x: z.number(),
        y: z.number(),
        width: z.number().positive(),
        height: z.number().positive(),
        label: z.string().max(40).default('Stage'),
      })
      .optional(),
    sections: z.array(sectionSpec).min(1, 'a venue needs at least one section').max(500),
  })
  .superRefine((layout, ctx) => {
    const seen = new Map<string, number>();
    layout.sections.forEach((section, i) => {
      const key = section.label.toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sections', i, 'label'],
          message: `section label "${section.label}" is used twice (also section ${seen.get(key)! + 1})`,
        });
      } else seen.set(key, i);
      const rows = new Set<string>();
      section.rows.forEach((row, r) => {
        const rowKey = row.label.toLowerCase();
        if (rows.has(rowKey))
          ctx.addIssue({
            code: 'custom',
            path: ['sections', i, 'rows', r, 'label'],
            message: `row "${row.label}" appears twice in section ${section.label}`,
          });
        rows.add(rowKey);
        const last = section.firstSeatNumber + row.seats - 1;
        for (const field of ['wheelchair', 'companion', 'restrictedView'] as const) {
          for (const n of row[field]) {
            if (n < section.firstSeatNumber || n > last) {
              ctx.addIssue({
                code: 'custom',
                path: ['sections', i, 'rows', r, field],
                message: `seat ${n} is not in row ${row.label} (seats ${section.firstSeatNumber}-${last})`,
              });
            }
          }
        }
        for (const a of row.aislesAfter) {
          if (a >= row.seats)
            ctx.addIssue({
              code: 'custom',
              path: ['sections', i, 'rows', r, 'aislesAfter'],
              message: `an aisle after seat position ${a} is past the end of row ${row.label}`,
            });
        }
      });
    });
    const total = layout.sections.reduce((n, s) => n + s.rows.reduce((m, r) => m + r.seats, 0), 0);
    if (total > 120_000)
      ctx.addIssue({
        code: 'custom',
        path: ['sections'],
        message: `a venue may have at most 120,000 seats (this one has ${total})`,
      });
  });
export type VenueLayout = z.infer<typeof venueLayoutSchema>;
export type VenueLayoutInput = z.input<typeof venueLayoutSchema>;

/** The venue's own fields of a layout: what it is and where (no stage, no sections). */
export const venueDetails = ({ name, city, country, address, timezone, description }: VenueLayout) => ({
  name,
  city,
  country,
  address,
  timezone,
  description,
});
