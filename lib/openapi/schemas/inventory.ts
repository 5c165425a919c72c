import { z } from 'zod';
import {
  HOLD_STATUSES,
  type AvailabilityResponse,
  type HoldResponse,
  type LayoutDocument,
} from '@/lib/contracts/inventory';
import type { HoldDetails, ResumableHold } from '@/lib/inventory';
import { id, instant, minor, seatIds } from './common';

export const holdSchema = z
  .object({
    id,
    eventId: id,
    seatIds,
    expiresAt: instant.meta({
      description: 'when the hold ends; show expiresAt - serverTime to correct for the client clock',
    }),
    serverTime: instant,
    status: z.enum(HOLD_STATUSES),
    extended: z.boolean().meta({ description: 'a hold is extended once, when payment starts' }),
  })
  .meta({ id: 'Hold' }) satisfies z.ZodType<HoldResponse>;

export const holdDetailsSchema = holdSchema
  .extend({
    userId: id,
    eventName: z.string(),
    currency: z.string(),
    feePerTicketMinor: minor,
    seats: z.array(
      z.object({
        id: z.number().int(),
        sectionLabel: z.string(),
        rowLabel: z.string(),
        seatLabel: z.string(),
        tierName: z.string(),
        priceMinor: minor,
      }),
    ),
  })
  .meta({ id: 'HoldDetails' }) satisfies z.ZodType<HoldDetails>;

export const releasedSchema = z.object({
  released: z.number().int().meta({ description: 'seats released by this call (0 on a repeat)' }),
});

export const resumedHoldSchema = z.object({
  holdId: id,
  eventId: id,
  expiresAt: instant,
  checkoutUrl: z.string(),
}) satisfies z.ZodType<Omit<ResumableHold, 'id' | 'expiresAt'> & { holdId: string; expiresAt: string }>;

export const layoutSchema = z
  .object({
    eventId: id,
    layoutVersion: z.string(),
    currency: z.string(),
    stage: z
      .object({ x: z.number(), y: z.number(), width: z.number(), height: z.number(), label: z.string() })
      .nullable(),
    tiers: z.array(z.object({ id: z.string(), name: z.string(), priceMinor: minor, color: z.string() })),
    sections: z.array(z.object({ label: z.string(), name: z.string() })),
    rows: z.array(z.object({ section: z.number().int(), label: z.string() })),
    seats: z
      .object({
        id: z.array(z.number().int()),
        row: z.array(z.number().int()),
        label: z.array(z.string()),
        order: z.array(z.number().int()),
        x: z.array(z.number()),
        y: z.array(z.number()),
        tier: z.array(z.number().int()),
        flags: z.array(z.number().int()),
        position: z.array(z.number().int()).optional().meta({
          description:
            'only when the layout leaves seats out (hidden tiers): the availability position of each listed seat',
        }),
      })
      .meta({
        description:
          'columnar: entry i of every array describes the seat at layout position i (or at `position[i]` when present)',
      }),
  })
  .meta({ id: 'Layout' }) satisfies z.ZodType<LayoutDocument>;

const count = z.number().int();
const statusName = z.enum(['available', 'held', 'sold', 'blocked', 'yours']);

export const availabilitySchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('snapshot'),
      eventId: id,
      version: count,
      serverTime: instant,
      statuses: z
        .string()
        .meta({ description: 'one character per layout position: 0 available, 1 held, 2 sold, 3 blocked, 4 yours' }),
      counts: z.object({ available: count, held: count, sold: count, blocked: count }),
      pollAfterMs: count,
    }),
    z.object({
      kind: z.literal('delta'),
      eventId: id,
      from: count,
      version: count,
      serverTime: instant,
      changes: z.array(
        z.object({ version: count, status: statusName, positions: z.array(count), expiresAt: instant.optional() }),
      ),
      pollAfterMs: count,
    }),
  ])
  .meta({ id: 'Availability' }) satisfies z.ZodType<AvailabilityResponse>;
