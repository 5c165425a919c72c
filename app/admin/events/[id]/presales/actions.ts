'use server';

import { getDb } from '@/db/client';
import type { ActionResult } from '@/lib/contracts/action-result';
import { accessCodeInputSchema, presaleInputSchema, tierVisibilitySchema } from '@/lib/contracts/presale';
import { fromWallTime } from '@/lib/contracts/time-zone';
import { action } from '@/lib/http/action';
import { createAccessCode, createPresale, setTierHidden } from '@/lib/presale';

const newPresale = action(
  'admin.presales.create',
  { auth: 'admin', input: presaleInputSchema, echo: ['name', 'startsAt', 'endsAt', 'admissionRatePerMinute'] },
  async ({ viewer, input }) => createPresale(await getDb(), input, viewer.id),
);
const newCode = action(
  'admin.access-codes.create',
  { auth: 'admin', input: accessCodeInputSchema, echo: ['code', 'maxUses', 'perAccountLimit'] },
  async ({ viewer, input }) => createAccessCode(await getDb(), input, viewer.id),
);
const tierVisibility = action(
  'admin.tiers.visibility',
  { auth: 'admin', input: tierVisibilitySchema },
  async ({ viewer, input }) => setTierHidden(await getDb(), input, viewer.id),
);

/** Times arrive as the form's wall-clock values in the event's time zone; an unreadable one fails validation. */
const instant = (value: FormDataEntryValue | null, timeZone: string) =>
  typeof value === 'string' && value ? (fromWallTime(value, timeZone)?.toISOString() ?? value) : undefined;

export async function createPresaleAction(
  eventId: string,
  timeZone: string,
  _previous: ActionResult<{ id: string }> | null,
  form: FormData,
): Promise<ActionResult<{ id: string }>> {
  return newPresale({
    eventId,
    name: form.get('name'),
    startsAt: instant(form.get('startsAt'), timeZone),
    endsAt: instant(form.get('endsAt'), timeZone),
    admissionRatePerMinute: form.get('admissionRatePerMinute') || undefined,
  });
}

export async function createAccessCodeAction(
  eventId: string,
  _previous: ActionResult<{ id: string }> | null,
  form: FormData,
): Promise<ActionResult<{ id: string }>> {
  return newCode({
    eventId,
    code: form.get('code') ?? '',
    presaleId: form.get('presaleId') ?? null,
    unlocksTierIds: form.getAll('unlocksTierIds'),
    maxUses: form.get('maxUses'),
    perAccountLimit: form.get('perAccountLimit') || undefined,
  });
}

export async function setTierHiddenAction(
  eventId: string,
  tierId: string,
  hidden: boolean,
  _previous: ActionResult<void> | null,
  _form: FormData,
): Promise<ActionResult<void>> {
  return tierVisibility({ eventId, tierId, hidden });
}
