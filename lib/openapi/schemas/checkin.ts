import { z } from 'zod';
import type { CheckinStats, ScannerSession, SignedCheckinList, SyncResult } from '@/lib/contracts/checkin';
import { id, instant } from './common';

export const scannerSessionSchema = z.object({
  kind: z.enum(['device', 'staff']),
  label: z.string(),
  events: z.array(
    z.object({
      id,
      name: z.string(),
      startsAt: instant,
      gates: z.array(z.object({ id, name: z.string() })),
    }),
  ),
  gateId: id.nullable(),
}) satisfies z.ZodType<ScannerSession>;

export const signedCheckinListSchema = z.object({
  publicKey: z.string().meta({ description: 'the event’s Ed25519 public key, base64url' }),
  body: z.string().meta({
    description:
      'base64url JSON: {v:1, eventId, generatedAt, revoked: [ticketId], admitted: [{t: ticketId, g: gate, at}]}',
  }),
  signature: z.string().meta({ description: 'Ed25519 by the event key over the text `AO1L.<body>`, base64url' }),
}) satisfies z.ZodType<SignedCheckinList>;

export const syncResultSchema = z.object({
  outcomes: z.array(
    z.object({
      localId: id,
      ticketId: id,
      outcome: z.enum(['admitted', 'conflict', 'refused']),
      firstAdmittedAt: instant.optional(),
      firstGate: z.string().nullable().optional(),
      reason: z.string().optional(),
    }),
  ),
}) satisfies z.ZodType<SyncResult>;

export const checkinStatsSchema = z.object({
  eventId: id,
  tickets: z.number().int(),
  admitted: z.number().int(),
  share: z.number(),
  gates: z.array(z.object({ gate: z.string(), entries: z.number().int() })),
  conflicts: z.array(
    z.object({
      ticketId: id,
      gate: z.string(),
      scannedAt: instant,
      outcome: z.enum(['conflict', 'refused']),
      firstGate: z.string().nullable(),
      firstAdmittedAt: instant.nullable(),
      reason: z.string().nullable(),
    }),
  ),
  generatedAt: instant,
}) satisfies z.ZodType<CheckinStats>;
