import { getDb } from '@/db/client';
import { getViewer } from '@/lib/auth/viewer';
import { availabilityQuerySchema } from '@/lib/contracts/inventory';
import { json, readQuery, route } from '@/lib/http/route';
import { getAvailability } from '@/lib/inventory';

/** Every seat's status (one character each), or with ?since=N the changes after version N. */
export const GET = route<{ id: string }>('events.availability', async (request, { id }) => {
  const { since } = readQuery(request, availabilityQuerySchema);
  const viewer = await getViewer(request.headers);
  return json(await getAvailability(await getDb(), id, { since, viewerId: viewer?.id ?? null }));
});
