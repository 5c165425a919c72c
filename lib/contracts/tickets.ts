import { z } from 'zod';
import { UNPRINTABLE } from './auth';
import { UUID_PATTERN } from './uuid';

const uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');

/** POST /api/tickets/admit (admin, a door scanner with a connection): let the holder of this code in, once. */
export const admitRequestSchema = z
  .object({
    code: z.string().min(10).max(2000),
    eventId: uuid,
    /** Where the scan happened, as the door staff call it ("North gate", "Door 3"): shown to a second scan. */
    gate: z
      .string()
      .trim()
      .min(1, 'name the gate or door')
      .max(40, 'use at most 40 characters')
      .refine((value) => !UNPRINTABLE.test(value), 'use letters, digits and spaces only'),
  })
  .strict();
export type AdmitRequest = z.infer<typeof admitRequestSchema>;

/**
 * The door's verdict. A scanner's question always gets an answer (200): `admitted: true` exactly once per ticket;
 * every later scan of any of its codes gets `already_admitted` with when and where it was let in.
 */
export type AdmissionResult =
  | { admitted: true; ticketId: string; seat: string; kind: 'static' | 'rotating'; admittedAt: string; gate: string }
  | {
      admitted: false;
      reason: 'already_admitted';
      ticketId: string;
      admittedAt: string;
      gate: string | null;
      message: string;
    }
  | {
      admitted: false;
      reason: 'malformed' | 'bad_signature' | 'wrong_event' | 'expired' | 'stale' | 'revoked' | 'device_replaced';
      ticketId?: string;
      message: string;
    };
