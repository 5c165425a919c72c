import { z } from 'zod';
import { idempotencyKeySchema } from '@/lib/contracts/checkout';

/** The Idempotency-Key header of payments and refunds: the same key always gets the first answer. */
export const idempotencyHeader = z.object({
  'Idempotency-Key': idempotencyKeySchema.meta({
    description: 'made once per attempt (a UUID) and reused on every retry',
    example: '3f0e1c7a-2b8d-4c55-9a61-0d5a8f3e2b10',
  }),
});

/** The codes of an operation that takes an Idempotency-Key. */
export const IDEMPOTENCY_ERRORS = [
  'IDEMPOTENCY_KEY_REQUIRED',
  'IDEMPOTENCY_KEY_IN_PROGRESS',
  'IDEMPOTENCY_KEY_REUSED',
] as const;
