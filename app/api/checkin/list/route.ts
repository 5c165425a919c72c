import { getDb } from '@/db/client';
import { getCheckinList } from '@/lib/checkin/get-checkin-list';
import { resolveScanner, scanPlace } from '@/lib/checkin/resolve-scanner';
import { checkinQuerySchema } from '@/lib/contracts/checkin';
import { json, readQuery, route } from '@/lib/http/route';
import { AppError } from '@/lib/errors';

/**
 * What an offline scanner keeps: the event's revoked and admitted tickets, signed with the event's key. A device
 * gets its own event's list only; staff name the event.
 */
export const GET = route('checkin.list', { rateLimit: 'checkin' }, async ({ request }) => {
  const db = await getDb();
  const scanner = await resolveScanner(db, request.headers);
  const { eventId } = readQuery(request, checkinQuerySchema);
  const target = scanner.kind === 'device' ? (await scanPlace(db, scanner, { eventId })).eventId : eventId;
  if (!target) throw new AppError('VALIDATION_FAILED', 'Name the event (eventId).');
  return json(await getCheckinList(db, target));
});
