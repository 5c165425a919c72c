import { z } from 'zod';
import { ACCESS_CODE_PATTERN, normalizeAccessCode } from './access-code-format';

/** A buyer's presale code as typed: spaces dropped, upper-cased; a code of the wrong shape is refused like a wrong one. */
export const redeemAccessCodeSchema = z.object({
  code: z.string().max(64).transform(normalizeAccessCode).pipe(z.string().min(1, 'enter your presale code')),
});
export type RedeemAccessCodeInput = z.infer<typeof redeemAccessCodeSchema>;

/** What redeeming a code unlocked, for the buyer. */
export const redemptionSchema = z.object({
  eventId: z.string().uuid(),
  /** False when this account had redeemed the code before (nothing was counted). */
  counted: z.boolean(),
  presale: z.object({ id: z.string().uuid(), name: z.string(), startsAt: z.string(), endsAt: z.string() }).nullable(),
  hiddenTiers: z.array(z.object({ id: z.string().uuid(), name: z.string(), priceMinor: z.number().int() })),
});
export type RedemptionResult = z.infer<typeof redemptionSchema>;

/** An organizer's presale window. */
export const presaleInputSchema = z
  .object({
    eventId: z.string().uuid(),
    name: z.string().trim().min(2).max(80),
    startsAt: z.coerce.date(),
    endsAt: z.coerce.date(),
    admissionRatePerMinute: z.coerce.number().int().min(1).max(1_000_000).default(60),
  })
  .refine((p) => p.startsAt < p.endsAt, { path: ['endsAt'], message: 'the presale must end after it starts' });
export type PresaleInput = z.infer<typeof presaleInputSchema>;

/** An organizer's presale code: it unlocks a presale, hidden tiers, or both. */
export const accessCodeInputSchema = z
  .object({
    eventId: z.string().uuid(),
    code: z
      .string()
      .max(64)
      .transform(normalizeAccessCode)
      .pipe(z.string().regex(ACCESS_CODE_PATTERN, 'use 4 to 32 letters, digits or dashes')),
    presaleId: z
      .string()
      .uuid()
      .nullish()
      .or(z.literal('').transform(() => null)),
    unlocksTierIds: z.array(z.string().uuid()).max(20).default([]),
    maxUses: z.coerce.number().int().min(1).max(1_000_000),
    perAccountLimit: z.coerce.number().int().min(1).max(50).default(4),
  })
  .refine((c) => c.presaleId || c.unlocksTierIds.length > 0, {
    path: ['presaleId'],
    message: 'a code must unlock a presale or a hidden tier',
  });
export type AccessCodeInput = z.infer<typeof accessCodeInputSchema>;

/** Hide a price tier (only presale codes that name it unlock it) or show it to everyone again. */
export const tierVisibilitySchema = z.object({
  eventId: z.string().uuid(),
  tierId: z.string().uuid(),
  hidden: z.boolean(),
});
export type TierVisibilityInput = z.infer<typeof tierVisibilitySchema>;

/** The event page's presale-code form, as its server action receives it. */
export const redeemAccessCodeActionSchema = redeemAccessCodeSchema.extend({ eventId: z.string().uuid() });
