import { getDb } from '@/db/client';
import { scannerQuerySchema } from '@/lib/contracts/checkout';
import { json, readQuery, route } from '@/lib/http/route';
import { getScannerBundle } from '@/lib/tickets/get-scanner-bundle';

/** For door scanners (door staff or admin): the event's public key and the revoked ticket ids, to verify codes offline. */
export const GET = route('tickets.scanner', { auth: 'door' }, async ({ request }) => {
  const { eventId } = readQuery(request, scannerQuerySchema);
  return json(await getScannerBundle(await getDb(), eventId));
});
