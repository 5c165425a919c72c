import { getDb } from '@/db/client';
import { deviceKeyRequestSchema } from '@/lib/contracts/checkout';
import { json, route } from '@/lib/http/route';
import { certifyDeviceKey } from '@/lib/tickets/certify-device-key';

/** Certify this browser's device key for the rotating code (the holder only). */
export const POST = route(
  'tickets.device-key',
  { params: ['id'], auth: 'viewer', body: { schema: deviceKeyRequestSchema, maxBytes: 1024 } },
  async ({ params: { id }, viewer, body }) => json(await certifyDeviceKey(await getDb(), viewer, id, body.publicKey)),
);
