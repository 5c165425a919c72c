'use server';

import { cookies } from 'next/headers';
import { getDb } from '@/db/client';
import type { ActionResult } from '@/lib/contracts/action-result';
import { redeemAccessCodeActionSchema, type RedemptionResult } from '@/lib/contracts/presale';
import { action } from '@/lib/http/action';
import { redeemPresaleCode } from '@/lib/presale';
import { admissionCookieName } from '@/lib/queue/cookies';

const redeem = action(
  'presale.redeem',
  { auth: 'viewer', rateLimit: 'access-code', input: redeemAccessCodeActionSchema, echo: ['code'] },
  async ({ viewer, input: { eventId, code } }) => {
    const result = await redeemPresaleCode(await getDb(), { eventId, userId: viewer.id, code });
    // An admission issued before this code does not carry what it unlocks: the next visit to the waiting room
    // issues one that does (an admitted place stays admitted).
    (await cookies()).delete(admissionCookieName(eventId));
    return result;
  },
);

/** The event page's "Have a presale code?" form (the same as POST /api/events/{id}/access-code). */
export async function redeemPresaleCodeAction(
  eventId: string,
  _previous: ActionResult<RedemptionResult> | null,
  form: FormData,
): Promise<ActionResult<RedemptionResult>> {
  return redeem({ eventId, code: form.get('code') ?? '' });
}
