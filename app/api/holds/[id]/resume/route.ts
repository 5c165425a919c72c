import { json, route } from '@/lib/http/route';
import { inventoryDeps, resumableHold } from '@/lib/inventory';
import { admitHoldOwner } from '@/lib/queue/admit-hold-owner';

/**
 * Go on with one's own running hold in this browser (a checkout link opened on another device, a shopping window
 * that ended while the seats were held): admits this browser session to the hold's event until the hold ends and
 * answers where its checkout is. Owner only; anyone else gets 404.
 */
export const POST = route(
  'holds.resume',
  { params: ['id'], auth: 'viewer' },
  async ({ request, params: { id }, viewer }) => {
    const { db, now } = await inventoryDeps();
    const at = now();
    const hold = await resumableHold(db, id, viewer.id, at);
    const setCookie = await admitHoldOwner({
      eventId: hold.eventId,
      accountId: viewer.id,
      untilMs: hold.expiresAt.getTime(),
      cookieHeader: request.headers.get('cookie'),
      nowMs: at.getTime(),
    });
    return json(
      {
        holdId: hold.id,
        eventId: hold.eventId,
        expiresAt: hold.expiresAt.toISOString(),
        checkoutUrl: hold.checkoutUrl,
      },
      setCookie ? { headers: { 'set-cookie': setCookie } } : {},
    );
  },
);
