import { z } from 'zod';
import { getDb } from '@/db/client';
import { EVENT_STATUSES } from '@/db/schema';
import { createEvent } from '@/lib/admin/create-event';
import { listAdminEvents } from '@/lib/admin/list-admin-events';
import { eventInputSchema } from '@/lib/contracts/admin-event';
import { json, readQuery, route } from '@/lib/http/route';

const listQuery = z.object({ status: z.enum(EVENT_STATUSES).optional() });

/** Every event, drafts included (`?status=draft|published|cancelled`). */
export const GET = route('admin.events.list', { auth: 'admin' }, async ({ request }) => {
  const { status } = readQuery(request, listQuery);
  return json({ events: await listAdminEvents(await getDb(), { status }) });
});

/** Create a draft event with its price tiers; 422 for anything invalid (an unknown time zone included). */
export const POST = route(
  'admin.events.create',
  { auth: 'admin', body: { schema: eventInputSchema, maxBytes: 256 * 1024 } },
  async ({ viewer: admin, body }) => {
    const event = await createEvent(await getDb(), body, admin.id);
    return json(event, { status: 201, headers: { location: `/api/admin/events/${event.id}` } });
  },
);
