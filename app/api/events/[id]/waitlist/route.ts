import { joinWaitlistSchema } from '@/lib/contracts/waitlist';
import { json, route } from '@/lib/http/route';
import { waitlistDeps } from '@/lib/waitlist/deps';
import { getWaitlistStatus } from '@/lib/waitlist/get-waitlist-status';
import { joinWaitlist } from '@/lib/waitlist/join-waitlist';
import { leaveWaitlist } from '@/lib/waitlist/leave-waitlist';

/** The buyer's place on the event's waitlist, and the seats held for them when an offer is open. */
export const GET = route(
  'waitlist.status',
  { params: ['id'], auth: 'viewer', rateLimit: 'waitlist' },
  async ({ params: { id }, viewer }) => {
    const { db, now } = await waitlistDeps();
    return json(await getWaitlistStatus(db, { eventId: id, userId: viewer.id, now: now() }));
  },
);

/** Join the waitlist of a sold-out event or tier with a party size, a price ceiling and wheelchair spaces needed. */
export const POST = route(
  'waitlist.join',
  {
    params: ['id'],
    auth: 'viewer',
    rateLimit: 'waitlist',
    body: { schema: joinWaitlistSchema, maxBytes: 4 * 1024 },
  },
  async ({ params: { id }, viewer, body }) => {
    const { db, now } = await waitlistDeps();
    return json(await joinWaitlist(db, { eventId: id, userId: viewer.id, now: now(), body }));
  },
);

/** Leave the waitlist; an open offer is declined and its seats go to the next match. */
export const DELETE = route(
  'waitlist.leave',
  { params: ['id'], auth: 'viewer', rateLimit: 'waitlist' },
  async ({ params: { id }, viewer }) =>
    json(await leaveWaitlist(await waitlistDeps(), { eventId: id, userId: viewer.id })),
);
