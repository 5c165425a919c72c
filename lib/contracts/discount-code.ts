import { z } from 'zod';
import { DISCOUNT_KINDS, DISCOUNT_SCOPES } from './pricing';

/**
 * An organizer's discount code for one event (decision 040). `value` is basis points for a percentage (1000 = 10%)
 * and minor units of the event's currency for a fixed amount. Limits are optional; the validity window is
 * [validFrom, validUntil).
 */
export const discountCodeInputSchema = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/, '3 to 32 letters, digits or dashes, starting with a letter or digit'),
    kind: z.enum(DISCOUNT_KINDS),
    value: z.number().int().min(1, 'must be more than zero').max(100_000_000),
    scope: z.enum(DISCOUNT_SCOPES),
    maxUses: z.number().int().min(1).max(1_000_000).nullish(),
    perAccountLimit: z.number().int().min(1).max(1_000).nullish(),
    validFrom: z.coerce.date().nullish(),
    validUntil: z.coerce.date().nullish(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.kind === 'percent' && c.value > 10_000)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a percentage is at most 100%' });
    if (c.validFrom && c.validUntil && c.validFrom >= c.validUntil)
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'must be after the start of validity' });
  });
export type DiscountCodeInput = z.input<typeof discountCodeInputSchema>;

/** PATCH of one code: withdraw it (`active: false`) or bring it back. */
export const discountCodePatchSchema = z.object({ active: z.boolean() }).strict();

/** A code as the organizer's list shows it. */
export type DiscountCodeSummary = {
  id: string;
  code: string;
  kind: (typeof DISCOUNT_KINDS)[number];
  value: number;
  scope: (typeof DISCOUNT_SCOPES)[number];
  maxUses: number | null;
  perAccountLimit: number | null;
  validFrom: string | null;
  validUntil: string | null;
  active: boolean;
  /** Live (pending or paid) orders using it now. */
  usesCount: number;
  /** Paid orders that used it, and what it took off them. */
  paidOrders: number;
  discountedMinor: number;
  createdAt: string;
};
