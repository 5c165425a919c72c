import { getDb } from '@/db/client';
import { getCheckinStats } from '@/lib/checkin/get-checkin-stats';
import { json, route } from '@/lib/http/route';

/** Check-in figures for the event's dashboard (admin): entries per gate, share scanned, flagged offline scans. */
export const GET = route('admin.events.checkin', { params: ['id'], auth: 'admin' }, async ({ params: { id } }) =>
  json(await getCheckinStats(await getDb(), id)),
);
