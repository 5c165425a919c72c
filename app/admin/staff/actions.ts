'use server';

import { getDb } from '@/db/client';
import { setStaffRole } from '@/lib/admin/set-staff-role';
import type { ActionResult } from '@/lib/contracts/action-result';
import { staffRoleChangeSchema } from '@/lib/contracts/checkin';
import { action } from '@/lib/http/action';

type Changed = { email: string; role: string; changed: boolean };

const change = action(
  'admin.staff-role',
  { auth: 'admin', input: staffRoleChangeSchema, echo: ['email'] },
  async ({ viewer, input }) => setStaffRole(await getDb(), viewer, input),
);

/** /admin/staff: grant or remove the door or box office role of an account, by its email address. */
export async function changeStaffRoleAction(
  _previous: ActionResult<Changed> | null,
  form: FormData,
): Promise<ActionResult<Changed>> {
  return change({ email: form.get('email'), role: form.get('role'), grant: form.get('intent') === 'grant' });
}
