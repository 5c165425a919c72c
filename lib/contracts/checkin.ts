import { z } from 'zod';
import { UNPRINTABLE } from './auth';
import { UUID_PATTERN } from './uuid';

/** Door check-in (docs/decisions/038-door-check-in.md): shared by the admin forms, the /scan page and the routes. */

const uuid = z.string().regex(UUID_PATTERN, 'must be a UUID');
const label = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `name the ${what}`)
    .max(40, 'use at most 40 characters')
    .refine((value) => !UNPRINTABLE.test(value), 'use letters, digits and spaces only');

export const gateNameSchema = label('gate');

export const createGateSchema = z.object({ eventId: uuid, name: gateNameSchema }).strict();
export const deleteGateSchema = z.object({ eventId: uuid, gateId: uuid }).strict();
export const createDeviceSchema = z.object({ eventId: uuid, gateId: uuid, label: label('device') }).strict();
export const revokeDeviceSchema = z.object({ eventId: uuid, deviceId: uuid }).strict();

export const STAFF_ROLES = ['door', 'box_office'] as const;
export const staffRoleChangeSchema = z
  .object({
    email: z.string().trim().toLowerCase().email('enter an email address').max(254),
    role: z.enum(STAFF_ROLES),
    grant: z.boolean(),
  })
  .strict();
export type StaffRoleChange = z.infer<typeof staffRoleChangeSchema>;

/**
 * POST /api/checkin/scan. A paired device scans for its own event and gate and sends neither; door staff name the
 * event and one of its gates.
 */
export const scanRequestSchema = z
  .object({ code: z.string().trim().min(1).max(2000), eventId: uuid.optional(), gateId: uuid.optional() })
  .strict();
export type ScanRequest = z.infer<typeof scanRequestSchema>;

/** One admission made while offline, as the page queued it. `localId` makes a re-sent sync harmless. */
export const offlineAdmissionSchema = z
  .object({
    localId: uuid,
    ticketId: uuid,
    code: z.string().min(10).max(2000),
    scannedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export const syncRequestSchema = z
  .object({ eventId: uuid.optional(), gateId: uuid.optional(), admissions: z.array(offlineAdmissionSchema).max(500) })
  .strict();
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export const checkinQuerySchema = z.object({ eventId: uuid.optional() });

export type SyncOutcome = {
  localId: string;
  ticketId: string;
  outcome: 'admitted' | 'conflict' | 'refused';
  /** For a conflict: when and at which gate the ticket had been let in first. */
  firstAdmittedAt?: string;
  firstGate?: string | null;
  reason?: string;
};
export type SyncResult = { outcomes: SyncOutcome[] };

/** What GET /api/checkin/session tells the /scan page: who scans, for which events and gates. */
export type ScannerSession = {
  kind: 'device' | 'staff';
  label: string;
  /** A device: its one event and gate. Staff: the events they may pick from, each with its gates. */
  events: { id: string; name: string; startsAt: string; gates: { id: string; name: string }[] }[];
  gateId: string | null;
};

/**
 * The list an offline scanner keeps, signed with the event's Ed25519 key (the text `AO1L.<body>`, a prefix no ticket
 * code uses). `body` is base64url JSON of CheckinList.
 */
export type SignedCheckinList = { publicKey: string; body: string; signature: string };
export type CheckinList = {
  v: 1;
  eventId: string;
  generatedAt: string;
  /** Tickets voided (cancelled, transferred): their codes still carry a good signature. */
  revoked: string[];
  /** Tickets let in so far: id, gate, time. */
  admitted: { t: string; g: string | null; at: string }[];
};

/** The dashboard's check-in figures (GET /api/admin/events/{id}/checkin). */
export type CheckinStats = {
  eventId: string;
  /** Live tickets: valid or used. */
  tickets: number;
  admitted: number;
  /** admitted / tickets, 0 when there are none. */
  share: number;
  gates: { gate: string; entries: number }[];
  conflicts: {
    ticketId: string;
    gate: string;
    scannedAt: string;
    outcome: 'conflict' | 'refused';
    firstGate: string | null;
    firstAdmittedAt: string | null;
    reason: string | null;
  }[];
  generatedAt: string;
};
