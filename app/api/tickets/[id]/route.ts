import { getDb } from '@/db/client';
import { json, route } from '@/lib/http/route';
import { getTicketForViewer } from '@/lib/tickets/get-ticket-for-viewer';

/** A ticket with its signed code (for the QR) and the event's public key; 404 for anyone but its holder or an admin. */
export const GET = route('tickets.get', { params: ['id'], auth: 'viewer' }, async ({ params: { id }, viewer }) =>
  json(await getTicketForViewer(await getDb(), id, viewer)),
);
