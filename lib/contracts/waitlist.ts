import { z } from 'zod';

/**
 * The waitlist of a sold-out event or tier (docs/waitlist.md): what a buyer sends to join, and what they read back.
 * Shared by the route, the join form and tests. No server imports.
 */

const MAX_PARTY = 50;

export const joinWaitlistSchema = z
  .object({
    /** The tier to wait for; omitted or null waits for any tier within the price ceiling. */
    priceTierId: z.uuid('priceTierId must be a price tier id').nullish(),
    partySize: z
      .number({ error: 'partySize must be a whole number' })
      .int('partySize must be a whole number')
      .min(1, 'a party has at least one person')
      .max(MAX_PARTY, `at most ${MAX_PARTY} people`),
    /** The most the buyer pays per seat, in minor units of the event's currency. */
    maxPriceMinor: z
      .number({ error: 'maxPriceMinor must be a whole number of minor units' })
      .int('maxPriceMinor must be a whole number of minor units')
      .min(0)
      .max(100_000_000),
    /** How many of the party's seats must be wheelchair spaces. */
    wheelchairSeats: z.number().int().min(0).max(MAX_PARTY).default(0),
  })
  .strict()
  .refine((v) => v.wheelchairSeats <= v.partySize, {
    path: ['wheelchairSeats'],
    message: 'cannot be more than the party size',
  });
export type JoinWaitlistInput = z.input<typeof joinWaitlistSchema>;
export type JoinWaitlist = z.infer<typeof joinWaitlistSchema>;

export const WAITLIST_ENTRY_STATUSES = ['waiting', 'offered', 'purchased', 'lapsed', 'declined', 'left'] as const;

const offerSchema = z.object({
  holdId: z.uuid(),
  expiresAt: z.iso.datetime({ offset: true }),
  seats: z.array(z.object({ sectionLabel: z.string(), rowLabel: z.string(), seatLabel: z.string() })),
  totalMinor: z.number().int(),
});

/** The buyer's own place on an event's waitlist (GET, POST and DELETE /api/events/{id}/waitlist). */
export const waitlistStatusSchema = z.object({
  eventId: z.uuid(),
  entry: z
    .object({
      id: z.uuid(),
      status: z.enum(WAITLIST_ENTRY_STATUSES),
      priceTierId: z.uuid().nullable(),
      partySize: z.number().int(),
      maxPriceMinor: z.number().int(),
      wheelchairSeats: z.number().int(),
      joinedAt: z.iso.datetime({ offset: true }),
      /** Live entries waiting before this one (offers go in order of joining, to the first the seats fit). */
      ahead: z.number().int().min(0),
      offer: offerSchema.nullable(),
    })
    .nullable(),
  serverTime: z.iso.datetime({ offset: true }),
});
export type WaitlistStatus = z.infer<typeof waitlistStatusSchema>;
export type WaitlistOffer = z.infer<typeof offerSchema>;
