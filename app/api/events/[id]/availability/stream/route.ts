import { getDb } from '@/db/client';
import { availabilityQuerySchema } from '@/lib/contracts/inventory';
import { parseWith, readQuery, route } from '@/lib/http/route';
import { availabilityStream } from '@/lib/inventory';

export const dynamic = 'force-dynamic';

/** Server-Sent Events of availability changes; resumes from Last-Event-ID (the version) after a reconnect. */
export const GET = route('events.availability-stream', { params: ['id'] }, async ({ request, params: { id } }) => {
  const query = readQuery(request, availabilityQuerySchema);
  const resume = request.headers.get('last-event-id');
  const since = resume ? parseWith(availabilityQuerySchema, { since: resume }).since : query.since;
  const stream = await availabilityStream(await getDb(), { eventId: id, since, signal: request.signal });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
});
