import { counterDeps } from '@/lib/counter/deps';
import { voidCounterSale } from '@/lib/counter/void-counter-sale';
import { json, route } from '@/lib/http/route';

/**
 * Box office: take a counter sale back on the day it was made; the money handed back is recorded against this staff
 * member. Repeating it answers the same.
 */
export const POST = route(
  'counter.sales.void',
  { params: ['id'], auth: 'box_office', rateLimit: 'counter' },
  async ({ params: { id }, viewer }) => json(await voidCounterSale(await counterDeps(), viewer, id)),
);
