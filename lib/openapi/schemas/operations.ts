import { z } from 'zod';
import type { ReconcileReport } from '@/lib/checkout/reconcile-payments';
import type { WebhookAnswer } from '@/lib/checkout/handle-stripe-webhook';
import type { HealthReport } from '@/lib/health';
import type { TickReport } from '@/lib/queue/run-queue-tick';
import { instant } from './common';

const count = z.number().int();
const check = { mode: z.string(), ok: z.boolean(), latencyMs: z.number().optional(), error: z.string().optional() };

/** What everyone learns from a health check; operators get the full report instead. */
export const healthSchema = z.union([
  z.object({ status: z.enum(['up', 'down']) }),
  z.object({
    status: z.enum(['ok', 'degraded', 'down']),
    database: z.object({
      ...check,
      location: z.string().optional(),
      migrations: z.object({ applied: count, expected: count, pending: z.array(z.string()) }).optional(),
    }),
    coordinator: z.object(check),
    payments: z.object({ mode: z.string() }),
    replica: z
      .object({
        inUse: z.boolean(),
        reason: z.enum(['ok', 'unchecked', 'down', 'lagging']),
        lagMs: z.number().nullable(),
      })
      .optional()
      .meta({
        description: 'The read replica (DATABASE_REPLICA_URL), when one is configured: skipped while down or lagging.',
      }),
    time: instant,
  }) satisfies z.ZodType<HealthReport>,
]);

export const liveSchema = z.object({ status: z.literal('up') });

export const tickSchema = z.object({
  commitments: count,
  draws: count,
  queues: count,
  admitted: count,
}) satisfies z.ZodType<TickReport>;

export const reconcileSchema = z.object({
  paymentsChecked: count,
  ordersSettled: count,
  ordersAbandoned: count,
  refundsIssued: count,
  idempotencyKeysPurged: count,
  emailsSent: count,
  unsettled: count,
}) satisfies z.ZodType<ReconcileReport>;

export const sweepSchema = z.object({ freedSeats: count });

export const webhookSchema = z.object({
  received: z.literal(true),
  duplicate: z.boolean(),
  type: z.string(),
  outcome: z.string(),
}) satisfies z.ZodType<WebhookAnswer>;
