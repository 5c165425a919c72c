import { z } from 'zod';
import { EVENT_STATUSES } from '@/db/schema';
import { cancelEventRequestSchema } from '@/lib/admin/cancel-event-contract';
import { eventFunnelSchema, funnelQuerySchema } from '@/lib/contracts/funnel';
import { eventInputSchema, eventPatchSchema, seatBlockSchema } from '@/lib/contracts/admin-event';
import { ok, type ApiOperation } from '../operation';
import {
  adminEventListSchema,
  boxOfficeSchema,
  cancelProgressSchema,
  createdEventSchema,
  dashboardSchema,
  eventChangedSchema,
  eventForEditSchema,
  publishedSchema,
} from '../schemas/admin';
import { IDEMPOTENCY_ERRORS, idempotencyHeader } from './shared';

const boxOffice = (action: 'block' | 'unblock', summary: string): ApiOperation => ({
  method: 'post',
  path: `/api/admin/events/{id}/seats/${action}`,
  id: `admin.seats.${action}`,
  tag: 'Admin: events',
  summary,
  description:
    'A seat in the wrong state (held or sold when blocking, not blocked when unblocking) is skipped, not refused.',
  access: 'admin',
  body: seatBlockSchema,
  responses: ok('Which seats changed and which were skipped', boxOfficeSchema),
  errors: ['NOT_FOUND', 'INVALID_STATE'],
});

export const ADMIN_EVENTS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/events',
    id: 'admin.events.list',
    tag: 'Admin: events',
    summary: 'Every event, drafts included',
    access: 'admin',
    query: z.object({ status: z.enum(EVENT_STATUSES).optional() }),
    responses: ok('The events', adminEventListSchema),
  },
  {
    method: 'post',
    path: '/api/admin/events',
    id: 'admin.events.create',
    tag: 'Admin: events',
    summary: 'Create a draft event with its price tiers',
    access: 'admin',
    body: eventInputSchema,
    responses: { 201: { description: 'The new draft (Location names it)', schema: createdEventSchema } },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/admin/events/{id}',
    id: 'admin.events.get',
    tag: 'Admin: events',
    summary: 'An event as the edit form sees it',
    access: 'admin',
    responses: ok('The event, its status and its locked fields', eventForEditSchema),
    errors: ['NOT_FOUND'],
  },
  {
    method: 'patch',
    path: '/api/admin/events/{id}',
    id: 'admin.events.update',
    tag: 'Admin: events',
    summary: 'Edit an event',
    description:
      'Only the fields sent change; the whole event is validated again (422). Locked fields of a published event are 409.',
    access: 'admin',
    body: eventPatchSchema,
    responses: ok('The fields that changed', eventChangedSchema),
    errors: ['NOT_FOUND', 'INVALID_STATE'],
  },
  {
    method: 'post',
    path: '/api/admin/events/{id}/publish',
    id: 'admin.events.publish',
    tag: 'Admin: events',
    summary: 'Publish a draft',
    description: 'Copies the venue layout into the event’s seats with their prices. 409 unless it is a draft.',
    access: 'admin',
    responses: ok('Published, with its seat count', publishedSchema),
    errors: ['NOT_FOUND', 'INVALID_STATE'],
  },
  {
    method: 'post',
    path: '/api/admin/events/{id}/cancel',
    id: 'admin.events.cancel',
    tag: 'Admin: events',
    summary: 'Cancel an event and refund every paid order',
    description: 'Stops the sale at once; a repeat with a new key continues the work and never refunds an order twice.',
    access: 'admin',
    headers: idempotencyHeader,
    body: cancelEventRequestSchema,
    responses: {
      200: { description: 'Done: every order refunded', schema: cancelProgressSchema },
      202: { description: 'Under way: the background job carries on; poll GET', schema: cancelProgressSchema },
    },
    errors: [...IDEMPOTENCY_ERRORS, 'NOT_FOUND', 'INVALID_STATE'],
  },
  {
    method: 'get',
    path: '/api/admin/events/{id}/cancel',
    id: 'admin.events.cancel-progress',
    tag: 'Admin: events',
    summary: 'How far an event’s cancellation has come',
    description: '409 INVALID_STATE when the event is not cancelled.',
    access: 'admin',
    responses: ok('The progress', cancelProgressSchema),
    errors: ['NOT_FOUND', 'INVALID_STATE'],
  },
  boxOffice('block', 'Take seats off sale (box office)'),
  boxOffice('unblock', 'Put blocked seats back on sale'),
  {
    method: 'get',
    path: '/api/admin/events/{id}/stats',
    id: 'admin.events.stats',
    tag: 'Admin: events',
    summary: 'The live dashboard’s figures',
    access: 'admin',
    responses: ok('Seats, revenue, sales, queue and holds', dashboardSchema),
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/admin/events/{id}/funnel',
    id: 'admin.events.funnel',
    tag: 'Admin: events',
    summary: 'The sales funnel, as JSON or CSV',
    description:
      'From AdmitOne’s own data, no tracker: event page views, waiting-room joins, admissions, holds, checkouts started and paid orders, with the rate of each step, holds that ended unpaid by reason, and the same per interval. `format=csv` answers `text/csv`: one row per interval and a row of totals.',
    access: 'admin',
    query: funnelQuerySchema,
    responses: {
      200: {
        description: 'The funnel (JSON), or with format=csv the CSV file',
        schema: eventFunnelSchema,
        alternatives: {
          'text/csv': z.string().describe('interval_start,page_views,waiting_room_joins,admissions,holds,…'),
        },
      },
    },
    errors: ['NOT_FOUND'],
  },
];
