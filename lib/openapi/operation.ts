import type { z } from 'zod';
import type { ErrorCode } from '@/lib/errors';

/** Who may call an operation, which also says which refusals it always has (lib/openapi/problems.ts). */
export type Access =
  /** Anyone. */
  | 'public'
  /** A signed-in account (the better-auth session cookie): 401 UNAUTHENTICATED without one. */
  | 'viewer'
  /** An organizer account: 401 without a session, 403 FORBIDDEN for a buyer's. */
  | 'admin'
  /** A box-office staff account or an organizer's: 401 without a session, 403 FORBIDDEN for anyone else's. */
  | 'box_office'
  /** `Authorization: Bearer $METRICS_TOKEN`, or a loopback client when no token is set. */
  | 'operator'
  /** `Authorization: Bearer $CRON_SECRET`: a platform's cron, no browser. */
  | 'cron'
  /** Authenticated by a signature over the body (the Stripe webhook). */
  | 'signed'
  /** A door scanner: a paired device's `Authorization: Bearer aos_…`, or a door staff or organizer session. */
  | 'scanner';

export type Tag = (typeof TAGS)[number]['name'];

/** The reference page's sections, in reading order. */
export const TAGS = [
  { name: 'Catalog', description: 'Search and browse events.' },
  {
    name: 'Seats and holds',
    description: 'Layouts, live availability and holding seats. The hot routes of an on-sale are marked `x-hot-route`.',
  },
  { name: 'Waiting room', description: 'Join the queue, poll the position, leave; the published pre-queue draw.' },
  {
    name: 'Waitlist',
    description: 'Sold-out events and tiers: join with a party, see the place, take or decline the seats offered.',
  },
  {
    name: 'Checkout and orders',
    description: 'Pay for a hold (with an Idempotency-Key), order history, cancellation.',
  },
  { name: 'Tickets', description: 'Tickets with their signed codes, transfers, door scanning.' },
  {
    name: 'Accounts',
    description: "Sign-up, sign-in, sign-out and the session: better-auth's routes behind the app's own checks.",
  },
  {
    name: 'Admin: events',
    description: 'Organizers: create, edit, publish and cancel events; the box office and the live dashboard.',
  },
  {
    name: 'Admin: orders',
    description: "Organizers: the orders desk (search, refund, cancel on a buyer's behalf, resend).",
  },
  { name: 'Admin: venues', description: 'Organizers: venues and their layout documents.' },
  {
    name: 'Box office',
    description: 'Box-office staff: counter sales from the same seat map and holds, voids, the day’s till.',
  },
  {
    name: 'Operations',
    description: 'Health, metrics, background jobs for hosts without a long-running process, and this document.',
  },
  { name: 'Webhooks', description: 'Payment events from Stripe.' },
] as const;

export type ResponseSpec = {
  description: string;
  /** The body's schema; none for an empty body (304). */
  schema?: z.ZodType;
  /** The body's media type when it is not application/json. */
  mediaType?: string;
  /** Other media types the same answer comes in, by a query parameter (the funnel's `format=csv`). */
  alternatives?: Record<string, z.ZodType>;
};

/** The answers of an operation that has one: 200 with a JSON body of `schema`. */
export const ok = (description: string, schema: z.ZodType): Record<number, ResponseSpec> => ({
  200: { description, schema },
});

/**
 * One HTTP operation of the public API: what lib/openapi/document.ts turns into an OpenAPI operation. Path
 * parameters come from the `{name}` segments of `path`; the problem+json refusals are `errors` plus those every
 * operation of its kind has (access, body, query, server trouble).
 */
export type ApiOperation = {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. `/api/events/{id}/holds`. */
  path: string;
  /** The `route()` name of the handler (its metric and log name) where that is unique, else a name of its own. */
  id: string;
  tag: Tag;
  summary: string;
  description?: string;
  access: Access;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  /** A JSON request body. */
  body?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  /** The operation's own refusals (problem+json codes). */
  errors?: ErrorCode[];
};
