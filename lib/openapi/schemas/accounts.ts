import { z } from 'zod';
import { instant } from './common';

/** better-auth's answers: its own JSON, described as far as the app relies on it. */
const authUser = z.looseObject({ id: z.string(), email: z.string(), name: z.string() });
export const authSessionSchema = z.looseObject({ user: authUser, token: z.string().nullish() });
export const sessionSchema = z
  .looseObject({
    session: z.looseObject({ expiresAt: instant }),
    user: authUser.extend({ role: z.string().optional() }),
  })
  .nullable();
export const signedOutSchema = z.object({ success: z.boolean() });
/** better-auth's own error document (not problem+json): its refusals after the app's checks passed. */
export const authErrorSchema = z.looseObject({ code: z.string().optional(), message: z.string() });
