import { getDb } from '@/db/client';
import { requireViewer } from '@/lib/auth/viewer';
import { deviceKeyRequestSchema } from '@/lib/contracts/checkout';
import { json, readJson, route } from '@/lib/http/route';
import { certifyDeviceKey } from '@/lib/tickets/certify-device-key';

/** Certify this browser's device key for the rotating code (the holder only). */
export const POST = route<{ id: string }>('tickets.device-key', async (request, { id }) => {
  const viewer = await requireViewer(request.headers);
  const { publicKey } = await readJson(request, deviceKeyRequestSchema, { maxBytes: 1024 });
  return json(await certifyDeviceKey(await getDb(), viewer, id, publicKey));
});
