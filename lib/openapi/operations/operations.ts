import { z } from 'zod';
import { ok, type ApiOperation } from '../operation';
import {
  healthSchema,
  liveSchema,
  reconcileSchema,
  sweepSchema,
  tickSchema,
  webhookSchema,
} from '../schemas/operations';

const health = (path: string, id: string, summary: string, description: string): ApiOperation => ({
  method: 'get',
  path,
  id,
  tag: 'Operations',
  summary,
  description: `${description} Everyone gets the status; operators (Bearer METRICS_TOKEN, or loopback without one) the full report.`,
  access: 'public',
  responses: {
    200: { description: 'Up (the report for operators)', schema: healthSchema },
    503: { description: 'Down (the report for operators)', schema: healthSchema },
  },
});

const cron = (method: 'get' | 'post', path: string, id: string, summary: string, schema: z.ZodType): ApiOperation => ({
  method,
  path,
  id,
  tag: 'Operations',
  summary,
  description: 'For hosts without a long-running process; the server runs it by itself otherwise.',
  access: 'cron',
  responses: ok('What the round did', schema),
});

const QUEUE_TICK = 'The waiting room’s background round: commitments, on-sale draws, admissions';

export const OPERATIONS_AND_WEBHOOKS: ApiOperation[] = [
  health(
    '/api/health',
    'health',
    'Health: the database and the coordinator',
    'Down when the database does not answer with every migration applied.',
  ),
  health(
    '/api/health/ready',
    'health.ready',
    'Readiness for a load balancer',
    'A coordinator outage is degraded but ready: holds go to PostgreSQL alone.',
  ),
  {
    method: 'get',
    path: '/api/health/live',
    id: 'health.live',
    tag: 'Operations',
    summary: 'Liveness: the process answers',
    access: 'public',
    responses: ok('Up', liveSchema),
  },
  {
    method: 'get',
    path: '/api/metrics',
    id: 'metrics',
    tag: 'Operations',
    summary: 'Prometheus metrics',
    access: 'operator',
    responses: { 200: { description: 'Prometheus text format', schema: z.string(), mediaType: 'text/plain' } },
  },
  cron('get', '/api/cron/queue', 'cron.queue-get', QUEUE_TICK, tickSchema),
  cron('post', '/api/cron/queue', 'cron.queue', QUEUE_TICK, tickSchema),
  cron('post', '/api/cron/sweep-holds', 'cron.sweep-holds', 'Free the seats of expired holds', sweepSchema),
  cron(
    'post',
    '/api/cron/reconcile-payments',
    'cron.reconcile-payments',
    'Settle stuck payments and refunds',
    reconcileSchema,
  ),
  {
    method: 'get',
    path: '/api/openapi.json',
    id: 'openapi',
    tag: 'Operations',
    summary: 'This document (OpenAPI 3.1)',
    description: 'Readable at /docs/api.',
    access: 'public',
    responses: { 200: { description: 'The OpenAPI document', schema: z.looseObject({ openapi: z.literal('3.1.0') }) } },
  },
  {
    method: 'post',
    path: '/api/webhooks/stripe',
    id: 'webhooks.stripe',
    tag: 'Webhooks',
    summary: 'Stripe events',
    description:
      'Verified on the raw body and processed once per event id; duplicates and out-of-order deliveries are harmless. 404 when Stripe is not configured.',
    access: 'signed',
    responses: ok('Received', webhookSchema),
    errors: ['WEBHOOK_SIGNATURE_INVALID', 'MALFORMED_REQUEST', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE'],
  },
];
