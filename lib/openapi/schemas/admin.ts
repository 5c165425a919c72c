import { z } from 'zod';
import { EVENT_STATUSES } from '@/db/schema';
import type { CancelProgress, EventDashboard } from '@/lib/admin/dashboard-types';
import type { AdminEventRow } from '@/lib/admin/list-admin-events';
import type { VenueSummary } from '@/lib/admin/list-venues';
import type { DeskOrder, DeskOrderRow, ResendResult } from '@/lib/admin/orders-desk-contract';
import { eventFieldsSchema } from '@/lib/contracts/admin-event';
import type { DiscountCodeSummary } from '@/lib/contracts/discount-code';
import { DISCOUNT_KINDS, DISCOUNT_SCOPES } from '@/lib/contracts/pricing';
import { venueLayoutSchema } from '@/lib/contracts/venue-layout';
import { orderDetailsFields, orderListItemSchema } from './checkout';
import { id, instant, minor, seatIds } from './common';

const eventStatus = z.enum(EVENT_STATUSES);
const count = z.number().int();

export const adminEventListSchema = z.object({
  events: z.array(
    z.object({
      id,
      name: z.string(),
      performer: z.string(),
      status: eventStatus,
      venueName: z.string(),
      city: z.string(),
      startsAt: instant,
      timezone: z.string(),
      onSaleAt: instant,
      seatsTotal: count,
      sold: count,
      blocked: count,
    }) satisfies z.ZodType<AdminEventRow>,
  ),
});

export const createdEventSchema = z.object({ id, slug: z.string() });

export const eventForEditSchema = z.object({
  id,
  slug: z.string(),
  status: eventStatus,
  venueName: z.string(),
  publishedAt: instant.nullable(),
  seatsTotal: count,
  lockedFields: z.array(z.string()).meta({ description: 'fields a PATCH may no longer change' }),
  event: eventFieldsSchema.meta({ description: 'every field of the create form, as stored' }),
});

export const eventChangedSchema = z.object({ id, changed: z.array(z.string()) });

export const publishedSchema = z.object({ id, status: z.literal('published'), seats: count });

export const boxOfficeSchema = z.object({
  changed: seatIds,
  skipped: seatIds.meta({ description: 'seats not in the right state for the change' }),
});

export const cancelProgressSchema = z
  .object({
    eventId: id,
    cancelledAt: instant,
    remaining: count,
    processed: count,
    total: count,
    refunds: z.object({ succeeded: count, pending: count, failed: count, refundedMinor: minor }),
    paymentsInFlight: count,
    done: z.boolean(),
  })
  .meta({ id: 'CancelProgress' }) satisfies z.ZodType<CancelProgress>;

/** Net revenue + tax = gross, in minor units (decision 046). */
const moneyParts = z.object({ netMinor: minor, taxMinor: minor, grossMinor: minor });

const seatCounts = z.object({ available: count, held: count, sold: count, blocked: count, total: count });

export const dashboardSchema = z.object({
  event: z.object({
    id,
    name: z.string(),
    status: eventStatus,
    venueName: z.string(),
    city: z.string(),
    startsAt: instant,
    onSaleAt: instant,
    timezone: z.string(),
    currency: z.string(),
    cancelledAt: instant.nullable(),
  }),
  seats: seatCounts,
  revenue: z.object({
    currency: z.string(),
    taxes: z.array(z.object({ label: z.string(), mode: z.enum(['inclusive', 'exclusive']) })),
    sold: moneyParts.describe('Every paid order, before refunds.'),
    refunded: moneyParts.describe('Refunds: a refund returns the tax with the price.'),
    kept: moneyParts.describe('Sold − refunded: net revenue, the tax owed, gross.'),
    paidOrders: count,
    ticketsSold: count,
  }),
  sales: z.object({
    bucketSeconds: count,
    points: z.array(
      z.object({
        at: instant,
        tickets: count,
        revenueMinor: minor,
        cumulativeTickets: count,
        cumulativeRevenueMinor: minor,
      }),
    ),
  }),
  queue: z.object({
    phase: z.enum(['not-open', 'prequeue', 'on-sale', 'closed']),
    reachable: z.boolean(),
    waiting: count,
    prequeue: count,
    active: count,
    capacity: count,
    configuredRatePerMinute: z.number(),
    ratePerMinute: z.number(),
    rateBasis: z.enum(['measured', 'settings']),
    clearSeconds: z.number(),
  }),
  holds: z.object({
    windowMinutes: count,
    placed: count,
    active: count,
    converted: count,
    expired: count,
    released: count,
    neverPaid: z.object({ accounts: count, holds: count, seats: count }),
    requests: z.object({ granted: count, conflicts: count, refused: count }),
    successRate: z.number().nullable(),
    conflictRate: z.number().nullable(),
  }),
  waitlist: z.object({
    offerMinutes: count,
    tiers: z.array(
      z.object({
        tierId: z.string().nullable(),
        tierName: z.string().nullable(),
        waiting: count,
        people: count,
        offered: count,
      }),
    ),
  }),
  cancellation: cancelProgressSchema.nullable(),
  generatedAt: instant,
}) satisfies z.ZodType<EventDashboard>;

export const deskOrderListSchema = z.object({
  orders: z.array(
    orderListItemSchema.extend({
      email: z.string(),
      buyerName: z.string(),
      eventId: id,
    }) satisfies z.ZodType<DeskOrderRow>,
  ),
});

export const deskOrderSchema = orderDetailsFields.extend({
  buyer: z.object({ id, name: z.string(), email: z.string() }),
  refundable: z.boolean(),
  emails: z.array(
    z.object({
      id,
      kind: z.string(),
      subject: z.string(),
      toEmail: z.string(),
      createdAt: instant,
      sentAt: instant.nullable(),
    }),
  ),
  audit: z.array(
    z.object({
      id: count,
      action: z.string(),
      actorEmail: z.string().nullable(),
      createdAt: instant,
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
}) satisfies z.ZodType<DeskOrder>;

export const resendSchema = z.object({
  orderId: id,
  emailId: id,
  toEmail: z.string(),
  sent: z.boolean(),
}) satisfies z.ZodType<ResendResult>;

export const venueListSchema = z.object({
  venues: z.array(
    z.object({
      id,
      name: z.string(),
      city: z.string(),
      country: z.string(),
      timezone: z.string(),
      sections: count,
      seats: count,
      events: count,
      createdAt: instant,
    }) satisfies z.ZodType<VenueSummary>,
  ),
});

export const venueLayoutFileSchema = venueLayoutSchema.meta({
  id: 'VenueLayout',
  description: 'the layout document (docs/venue-layout.md)',
});

export const venueSchema = z.object({
  id,
  name: z.string(),
  city: z.string(),
  createdAt: instant,
  layout: venueLayoutFileSchema,
});

export const createdVenueSchema = z.object({ id, seatCount: count });

export const discountCodeSchema = z
  .object({
    id,
    code: z.string(),
    kind: z.enum(DISCOUNT_KINDS),
    value: z.number().int().meta({ description: 'basis points for percent (1000 = 10%), minor units for fixed' }),
    scope: z.enum(DISCOUNT_SCOPES),
    maxUses: count.nullable(),
    perAccountLimit: count.nullable(),
    validFrom: instant.nullable(),
    validUntil: instant.nullable(),
    active: z.boolean(),
    usesCount: count.meta({ description: 'live (pending or paid) orders using the code now' }),
    paidOrders: count,
    discountedMinor: minor,
    createdAt: instant,
  })
  .meta({ id: 'DiscountCode' }) satisfies z.ZodType<DiscountCodeSummary>;

export const discountCodeListSchema = z.object({ codes: z.array(discountCodeSchema) });
export const createdDiscountCodeSchema = z.object({ id, code: z.string() });
export const discountCodeChangedSchema = z.object({ id, active: z.boolean() });
