import { getDb } from '@/db/client';
import { redeemAccessCodeSchema } from '@/lib/contracts/presale';
import { json, route } from '@/lib/http/route';
import { redeemPresaleCode } from '@/lib/presale';
import { clearedAdmissionCookie } from '@/lib/queue/admission';

/**
 * Redeem a presale code for the signed-in account: 200 with what it unlocked (`counted` false when this account had
 * redeemed it before), 404 for a code that is not this event's, 409 CONFLICT when its uses are spent, 429 after a
 * few wrong guesses. The admission the waiting room issues next carries the unlock.
 */
export const POST = route(
  'events.access-code.redeem',
  {
    params: ['id'],
    auth: 'viewer',
    rateLimit: 'access-code',
    body: { schema: redeemAccessCodeSchema, maxBytes: 1024 },
  },
  async ({ params: { id }, viewer, body: { code } }) => {
    const result = await redeemPresaleCode(await getDb(), { eventId: id, userId: viewer.id, code });
    // An admission issued before the code does not carry the unlock; the waiting room issues one that does.
    return json(result, { headers: { 'set-cookie': clearedAdmissionCookie(result.eventId) } });
  },
);
