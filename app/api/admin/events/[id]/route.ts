import { z } from 'zod';
import { getDb } from '@/db/client';
import { getEventForEdit } from '@/lib/admin/get-event-for-edit';
import { updateEvent } from '@/lib/admin/update-event';
import { PUBLISHED_LOCKED_FIELDS } from '@/lib/contracts/admin-event';
import { json, route } from '@/lib/http/route';

/** The event as the edit form sees it, with its status and which fields are locked. */
export const GET = route('admin.events.get', { params: ['id'], auth: 'admin' }, async ({ params: { id } }) => {
  const { event, venueName, input } = await getEventForEdit(await getDb(), id);
  return json({
    id: event.id,
    slug: event.slug,
    status: event.status,
    venueName,
    publishedAt: event.publishedAt?.toISOString() ?? null,
    seatsTotal: event.seatsTotal,
    lockedFields:
      event.status === 'draft' ? [] : event.status === 'published' ? PUBLISHED_LOCKED_FIELDS : Object.keys(input),
    event: input,
  });
});

/** Edit: only the fields sent change; the whole event is validated again (422), locked fields of a published event are 409. */
export const PATCH = route(
  'admin.events.update',
  { params: ['id'], auth: 'admin', body: { schema: z.record(z.string(), z.unknown()), maxBytes: 256 * 1024 } },
  async ({ params: { id }, viewer: admin, body }) => {
    const { changed } = await updateEvent(await getDb(), id, body, admin.id);
    return json({ id, changed });
  },
);
