import { z } from 'zod';
import { holdRequestSchema } from './inventory';
import { UUID_PATTERN } from './uuid';

/**
 * Counter sales (the box office at the venue, docs/counter.md): shared by the counter's pages, its route handlers and
 * tests. No server imports. Money is integer minor units with the event's currency.
 */

const uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');

/** POST /api/counter/holds: seats of one event, held in the staff member's name (no waiting room). */
export const counterHoldRequestSchema = holdRequestSchema.extend({ eventId: uuid }).strict();
export type CounterHoldRequest = z.infer<typeof counterHoldRequestSchema>;

export const COUNTER_METHODS = ['cash', 'card_present'] as const;
export type CounterMethod = (typeof COUNTER_METHODS)[number];
export const COUNTER_METHOD_LABELS: Record<CounterMethod, string> = { cash: 'Cash', card_present: 'Card (terminal)' };

/** Cash: what the buyer handed over (the change is worked out). Card present: the reference the terminal printed. */
export const counterPaymentSchema = z.discriminatedUnion(
  'method',
  [
    z
      .object({
        method: z.literal('cash'),
        tenderedMinor: z
          .number({ error: 'tenderedMinor is the amount handed over, in minor units' })
          .int('tenderedMinor is a whole number of minor units')
          .min(0, 'tenderedMinor cannot be negative')
          .max(100_000_000, 'tenderedMinor is too large'),
      })
      .strict(),
    z
      .object({
        method: z.literal('card_present'),
        terminalReference: z
          .string({ error: 'terminalReference is required for a card payment' })
          .trim()
          .regex(/^[\x21-\x7e][\x20-\x7e]{0,63}$/, 'terminalReference is 1 to 64 printable characters'),
      })
      .strict(),
  ],
  { error: "payment.method is 'cash' or 'card_present'" },
);
export type CounterPayment = z.infer<typeof counterPaymentSchema>;

/** POST /api/counter/sales (with an Idempotency-Key): pay for the staff member's hold and issue the tickets. */
export const counterSaleRequestSchema = z
  .object({
    holdId: uuid,
    payment: counterPaymentSchema,
    /** Where the tickets go: each is offered to this address as a transfer (decision 028); without it, print them. */
    email: z.string().trim().toLowerCase().email('email must be an email address').max(254).optional(),
  })
  .strict();
export type CounterSaleRequest = z.infer<typeof counterSaleRequestSchema>;

/** 200 answer of POST /api/counter/sales (and its replays). */
export type CounterSaleResult = {
  orderId: string;
  reference: string;
  status: 'paid';
  totalMinor: number;
  currency: string;
  method: CounterMethod;
  tenderedMinor: number | null;
  changeMinor: number | null;
  terminalReference: string | null;
  ticketIds: string[];
  /** The address the tickets were offered to, if any. */
  emailedTo: string | null;
};

/** 200 answer of POST /api/counter/sales/{id}/void: the order is cancelled and the money handed back. */
export type CounterVoidResult = {
  orderId: string;
  status: 'cancelled' | 'refunded';
  refundMinor: number;
  currency: string;
  method: CounterMethod;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** GET /api/counter/till and /api/counter/till/export: one local day (today by default) in a time zone (UTC by default). */
export const tillQuerySchema = z
  .object({
    date: z
      .string()
      .regex(DATE, 'date is YYYY-MM-DD')
      // 2020-02-30 parses (as March 1st): only a date that reads back the same is one.
      .refine((d) => {
        const parsed = new Date(`${d}T00:00:00Z`);
        return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d;
      }, 'date is not a calendar date')
      .optional(),
    tz: z
      .string()
      .max(64)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'tz is an IANA time zone such as Europe/Vienna')
      .optional(),
  })
  .strict();
export type TillQuery = z.infer<typeof tillQuerySchema>;

/** One staff member's takings in one payment method and currency. */
export type TillRow = {
  staffId: string;
  staffName: string;
  staffEmail: string;
  method: CounterMethod;
  currency: string;
  sales: number;
  salesMinor: number;
  voids: number;
  voidsMinor: number;
  /** salesMinor - voidsMinor: what the till should hold for this method. */
  netMinor: number;
};

export type TillSale = {
  orderId: string;
  reference: string;
  eventName: string;
  staffName: string;
  method: CounterMethod;
  totalMinor: number;
  currency: string;
  seats: number;
  paidAt: string;
  status: 'paid' | 'cancelled' | 'refunded' | 'failed' | 'pending';
  /** True while it may still be voided at the counter (paid today, every ticket still with the counter). */
  voidable: boolean;
};

/** 200 answer of GET /api/counter/till. */
export type Till = { date: string; timeZone: string; rows: TillRow[]; sales: TillSale[] };
