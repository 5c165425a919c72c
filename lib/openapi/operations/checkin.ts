import { checkinQuerySchema, scanRequestSchema, syncRequestSchema } from '@/lib/contracts/checkin';
import { ok, type ApiOperation } from '../operation';
import { admissionResultSchema } from '../schemas/checkout';
import {
  checkinStatsSchema,
  scannerSessionSchema,
  signedCheckinListSchema,
  syncResultSchema,
} from '../schemas/checkin';

/** Door check-in (docs/tickets.md, decision 038): the /scan page's API and the dashboard's figures. */
export const CHECKIN: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/checkin/session',
    id: 'checkin.session',
    tag: 'Tickets',
    summary: 'Who is scanning, and for which events and gates',
    description:
      'A paired device: its event and gate. Door staff: the events they may pick. A forged, revoked or expired device token is 401.',
    access: 'scanner',
    responses: ok('The scanner session', scannerSessionSchema),
    errors: ['RATE_LIMITED'],
  },
  {
    method: 'get',
    path: '/api/checkin/list',
    id: 'checkin.list',
    tag: 'Tickets',
    summary: 'The signed list of revoked and admitted tickets an offline scanner keeps',
    description:
      'Signed with the event’s Ed25519 key over `AO1L.<body>`. A device gets its own event’s list; staff name the event.',
    access: 'scanner',
    query: checkinQuerySchema,
    responses: ok('The signed list', signedCheckinListSchema),
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/checkin/scan',
    id: 'checkin.scan',
    tag: 'Tickets',
    summary: 'Scan a ticket at a gate (online)',
    description:
      'One atomic admission: of two gates scanning one ticket at once, one admits. A refused ticket is an answer (200). A device scans for its own event and gate only (403 otherwise).',
    access: 'scanner',
    body: scanRequestSchema,
    responses: ok('The verdict', admissionResultSchema),
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/checkin/sync',
    id: 'checkin.sync',
    tag: 'Tickets',
    summary: 'Send the admissions made offline',
    description:
      'Each is stored once (by `localId`) as admitted, conflict (let in already elsewhere: flagged on the dashboard) or refused.',
    access: 'scanner',
    body: syncRequestSchema,
    responses: ok('What each admission turned out to be', syncResultSchema),
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  },
  {
    method: 'get',
    path: '/api/admin/events/{id}/checkin',
    id: 'admin.events.checkin',
    tag: 'Admin: events',
    summary: 'Check-in figures: entries per gate, share scanned, flagged offline scans',
    access: 'admin',
    responses: ok('The figures', checkinStatsSchema),
    errors: ['NOT_FOUND'],
  },
];
