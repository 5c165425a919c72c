import { z } from 'zod';
import { availabilityQuerySchema, holdRequestSchema } from '@/lib/contracts/inventory';
import { ok, type ApiOperation } from '../operation';
import {
  availabilitySchema,
  holdDetailsSchema,
  holdSchema,
  layoutSchema,
  releasedSchema,
  resumedHoldSchema,
} from '../schemas/inventory';

const notModified = { description: 'Not modified (If-None-Match matched the ETag)' };

export const INVENTORY: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/events/{id}/layout',
    id: 'events.layout',
    tag: 'Seats and holds',
    summary: 'The seat layout',
    description:
      'Immutable once published: cached for a day, revalidated by ETag. Columnar: entry i of each `seats` array is the seat at position i. Hidden price tiers (unlocked only by a presale code) are left out, with their seats, rows and sections; the seats listed then carry their availability positions in `seats.position`.',
    access: 'public',
    responses: { 200: { description: 'The layout', schema: layoutSchema }, 304: notModified },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/events/{id}/layout/unlocked',
    id: 'events.layout-unlocked',
    tag: 'Seats and holds',
    summary: 'The seat layout with the hidden tiers the caller may see',
    description:
      "The public layout plus the hidden tiers the caller's admission token says their presale codes unlock, or every tier for organizers and box-office staff; for anyone else the public layout. Private to the caller (`Cache-Control: private, no-cache`), revalidated by ETag (docs/decisions/044-hidden-tiers-and-published-presale-draws.md).",
    access: 'public',
    responses: { 200: { description: 'The layout', schema: layoutSchema }, 304: notModified },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/events/{id}/availability',
    id: 'events.availability',
    tag: 'Seats and holds',
    summary: 'Seat availability: a snapshot, or the changes since a version',
    description:
      'One character per layout position. With `?since=N` the changes after version N (a snapshot when N is too old). ETag and 304.',
    access: 'public',
    query: availabilityQuerySchema,
    responses: { 200: { description: 'Snapshot or delta', schema: availabilitySchema }, 304: notModified },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/events/{id}/availability/stream',
    id: 'events.availability-stream',
    tag: 'Seats and holds',
    summary: 'Availability as Server-Sent Events',
    description:
      '`event: snapshot` first (without `?since` or `Last-Event-ID`), then `event: delta` with an Availability delta; the SSE id is the version.',
    access: 'public',
    query: availabilityQuerySchema,
    headers: z.object({
      'Last-Event-ID': z.string().optional().meta({ description: 'the last version seen, to resume' }),
    }),
    responses: {
      200: {
        description: 'An event stream of Availability documents',
        schema: z.string(),
        mediaType: 'text/event-stream',
      },
    },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/events/{id}/holds',
    id: 'holds.create',
    tag: 'Seats and holds',
    summary: 'Hold seats',
    description:
      'All the seats or none, for a few minutes. Needs the waiting room’s admission. 409 SEATS_UNAVAILABLE names the taken seats in `unavailableSeatIds`; 429 also when the buyer let too many holds on this event go unbought.',
    access: 'viewer',
    body: holdRequestSchema,
    responses: { 201: { description: 'The hold', schema: holdSchema } },
    errors: [
      'NOT_FOUND',
      'QUEUE_TOKEN_REQUIRED',
      'SEATS_UNAVAILABLE',
      'EVENT_NOT_ON_SALE',
      'SEAT_LIMIT_EXCEEDED',
      'RATE_LIMITED',
    ],
  },
  {
    method: 'get',
    path: '/api/holds/{id}',
    id: 'holds.get',
    tag: 'Seats and holds',
    summary: 'A hold with its seats and prices',
    description: 'Owner only; anyone else gets 404.',
    access: 'viewer',
    responses: ok('The hold', holdDetailsSchema),
    errors: ['NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/api/holds/{id}',
    id: 'holds.release',
    tag: 'Seats and holds',
    summary: 'Release a hold',
    description: 'Owner only; repeating it is harmless.',
    access: 'viewer',
    responses: ok('How many seats went back on sale', releasedSchema),
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/holds/{id}/release',
    id: 'holds.release-beacon',
    tag: 'Seats and holds',
    summary: 'Release a hold (beacon)',
    description: 'The same as DELETE /api/holds/{id}, as a POST without a body: what navigator.sendBeacon can send.',
    access: 'viewer',
    responses: ok('How many seats went back on sale', releasedSchema),
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/holds/{id}/resume',
    id: 'holds.resume',
    tag: 'Seats and holds',
    summary: 'Go on with one’s own hold in this browser',
    description:
      'Admits this browser session to the hold’s event until the hold ends and answers where its checkout is. Owner only.',
    access: 'viewer',
    responses: {
      200: { description: 'The hold and its checkout URL; sets the admission cookie', schema: resumedHoldSchema },
    },
    errors: ['NOT_FOUND', 'HOLD_NOT_ACTIVE'],
  },
];
