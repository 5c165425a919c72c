import { z } from 'zod';
import { getDb } from '@/db/client';
import { getEventForEdit } from '@/lib/admin/get-event-for-edit';
import { updateEvent } from '@/lib/admin/update-event';
import { requireAdmin } from '@/lib/auth/viewer';
import { PUBLISHED_LOCKED_FIELDS } from '@/lib/contracts/admin-event';
import { json, readJson, route } from '@/lib/http/route';

/** The event as the edit form sees it, with its status and which fields are locked. */
export const GET = route<{ id: string }>('admin.events.get', async (request, { id }) => {
  await requireAdmin(request.headers);
  const { event, venueName, input } = await getEventForEdit(await getDb(), id);
  return json({
    id: event.id,
    slug: event.slug,
    status: event.status,
    venueName,
    publishedAt: event.publishedAt?.toISOString() ?? null,
    seatsTotal: event.seatsTotal,
    lockedFields: event.status === 'draft' ? [] : event.status === 'published' ? PUBLISHED_LOCKED_FIELDS : Object.keys(input),
    event: input,
  });
});

/** Edit: only the fields sent change; the whole event is validated again (422), locked fields of a published event are 409. */
export const PATCH = route<{ id: string }>('admin.events.update', async (request, { id }) => {
  const admin = await requireAdmin(request.headers);
  const body = await readJson(request, z.record(z.string(), z.unknown()), { maxBytes: 256 * 1024 });
  const db = await getDb();
  const { changed } = await updateEvent(db, id, body, admin.id);
  return json({ id, changed });
});
