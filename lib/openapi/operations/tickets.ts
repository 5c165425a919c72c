import {
  deviceKeyRequestSchema,
  scannerQuerySchema,
  transferRequestSchema,
  verifyCodeRequestSchema,
} from '@/lib/contracts/checkout';
import { admitRequestSchema } from '@/lib/contracts/tickets';
import { ok, type ApiOperation } from '../operation';
import {
  admissionResultSchema,
  deviceKeyResultSchema,
  scannerBundleSchema,
  ticketDetailsSchema,
  transferResultSchema,
  verificationSchema,
} from '../schemas/checkout';

export const TICKETS: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/tickets/{id}',
    id: 'tickets.get',
    tag: 'Tickets',
    summary: 'A ticket with its signed code and the event’s public key',
    description: 'For its holder or an admin; anyone else gets 404.',
    access: 'viewer',
    responses: ok('The ticket', ticketDetailsSchema),
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/tickets/{id}/transfer',
    id: 'tickets.transfer',
    tag: 'Tickets',
    summary: 'Offer a ticket to someone by email',
    description:
      'The same answer whether or not an account uses the address. The ticket stays the sender’s until claimed.',
    access: 'viewer',
    body: transferRequestSchema,
    responses: ok('The pending transfer', transferResultSchema),
    errors: ['NOT_FOUND', 'INVALID_STATE', 'CONFLICT', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/tickets/{id}/device-key',
    id: 'tickets.device-key',
    tag: 'Tickets',
    summary: 'Certify this browser’s device key for the rotating code',
    description: 'The holder only.',
    access: 'viewer',
    body: deviceKeyRequestSchema,
    responses: ok('The delegation the rotating code carries', deviceKeyResultSchema),
    errors: ['NOT_FOUND', 'INVALID_STATE'],
  },
  {
    method: 'get',
    path: '/api/tickets/scanner',
    id: 'tickets.scanner',
    tag: 'Tickets',
    summary: 'What a door scanner loads to verify codes offline',
    description: 'Door staff or admin. The event’s public key and the revoked ticket ids.',
    access: 'admin',
    query: scannerQuerySchema,
    responses: ok('The scanner bundle', scannerBundleSchema),
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/tickets/verify',
    id: 'tickets.verify',
    tag: 'Tickets',
    summary: 'Check a scanned code online',
    description:
      'Door staff or admin. Signature, window, and the ticket still live. A refused code is an answer (200), not an error.',
    access: 'admin',
    body: verifyCodeRequestSchema,
    responses: ok('The verdict', verificationSchema),
  },
  {
    method: 'post',
    path: '/api/tickets/admit',
    id: 'tickets.admit',
    tag: 'Tickets',
    summary: 'Admit a ticket at the door',
    description:
      'Door staff or admin. `admitted: true` exactly once per ticket; every later scan answers when and where it was let in. Always 200 with the verdict.',
    access: 'admin',
    body: admitRequestSchema,
    responses: ok('The verdict', admissionResultSchema),
  },
];
