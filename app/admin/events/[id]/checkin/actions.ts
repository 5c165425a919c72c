'use server';

import QRCode from 'qrcode';
import { getDb } from '@/db/client';
import { createDevice, revokeDevice } from '@/lib/checkin/manage-devices';
import { createGate, deleteGate } from '@/lib/checkin/manage-gates';
import type { ActionResult } from '@/lib/contracts/action-result';
import { createDeviceSchema, createGateSchema, deleteGateSchema, revokeDeviceSchema } from '@/lib/contracts/checkin';
import { appUrl } from '@/lib/env';
import { action } from '@/lib/http/action';

import type { Pairing } from '@/components/admin/checkin/devices-panel';

const addGate = action('checkin.gate-create', { auth: 'admin', input: createGateSchema }, async ({ viewer, input }) => {
  const gate = await createGate(await getDb(), viewer, input);
  return { id: gate.id, name: gate.name };
});
const removeGate = action(
  'checkin.gate-delete',
  { auth: 'admin', input: deleteGateSchema },
  async ({ viewer, input }) => deleteGate(await getDb(), viewer, input),
);
const pair = action('checkin.device-pair', { auth: 'admin', input: createDeviceSchema }, async ({ viewer, input }) => {
  const { token, expiresAt } = await createDevice(await getDb(), viewer, input);
  // The token rides in the fragment: browsers never send it to a server, so it stays out of every access log.
  const link = `${appUrl()}/scan#pair=${token}`;
  const qrSvg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { link, qrSvg, expiresAt: expiresAt.toISOString(), label: input.label } satisfies Pairing;
});
const revoke = action(
  'checkin.device-revoke',
  { auth: 'admin', input: revokeDeviceSchema },
  async ({ viewer, input }) => revokeDevice(await getDb(), viewer, input),
);

export async function createGateAction(
  eventId: string,
  _previous: ActionResult<{ id: string; name: string }> | null,
  form: FormData,
): Promise<ActionResult<{ id: string; name: string }>> {
  return addGate({ eventId, name: form.get('name') });
}

export async function deleteGateAction(eventId: string, gateId: string): Promise<ActionResult<void>> {
  return removeGate({ eventId, gateId });
}

export async function pairDeviceAction(
  eventId: string,
  _previous: ActionResult<Pairing> | null,
  form: FormData,
): Promise<ActionResult<Pairing>> {
  return pair({ eventId, gateId: form.get('gateId'), label: form.get('label') });
}

export async function revokeDeviceAction(eventId: string, deviceId: string): Promise<ActionResult<void>> {
  return revoke({ eventId, deviceId });
}
