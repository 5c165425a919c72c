import 'server-only';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { session, user } from '@/db/schema';
import { revokeSession } from '@/lib/auth/session-revocation';
import type { StaffRoleChange } from '@/lib/contracts/checkin';
import { AppError } from '@/lib/errors';
import { recordAudit } from './record-audit';

export type StaffMember = { id: string; email: string; name: string; role: 'door' | 'box_office' };

/** The accounts with a staff role, for /admin/staff. */
export async function listStaff(db: Database): Promise<StaffMember[]> {
  const found = await db
    .select({ id: user.id, email: user.email, name: user.name, role: user.role })
    .from(user)
    .where(eq(user.role, 'door'))
    .union(
      db
        .select({ id: user.id, email: user.email, name: user.name, role: user.role })
        .from(user)
        .where(eq(user.role, 'box_office')),
    );
  return (found as StaffMember[]).sort((a, b) => a.email.localeCompare(b.email));
}

/**
 * Grants or removes a staff role by email (admin, /admin/staff), audit-logged. An account holds one role: granting
 * 'door' to box office staff moves them; an organizer's role is never changed here (that would demote an admin), and
 * removing a role the account does not hold changes nothing. The account's sessions are signed out, because a
 * session carries its role for minutes in its signed cache: a removed role must stop working now.
 */
export async function setStaffRole(
  db: Database,
  actor: { id: string },
  change: StaffRoleChange,
): Promise<{ email: string; role: string; changed: boolean }> {
  const { changed, account, sessions } = await db.transaction(async (tx) => {
    const [found] = await tx
      .select({ id: user.id, email: user.email, role: user.role })
      .from(user)
      .where(eq(user.email, change.email))
      .for('update');
    if (!found) throw new AppError('NOT_FOUND', 'No account uses this email address: ask them to sign up first.');
    if (found.role === 'admin')
      throw new AppError('INVALID_STATE', 'This account is an organizer (admin): it already does every job.');
    const next = change.grant ? change.role : found.role === change.role ? 'customer' : found.role;
    if (next === found.role) return { changed: false, account: found, sessions: [] };
    await tx.update(user).set({ role: next }).where(eq(user.id, found.id));
    await recordAudit(tx, {
      actorId: actor.id,
      action: change.grant ? 'user.role_granted' : 'user.role_removed',
      entityType: 'user',
      entityId: found.id,
      before: { role: found.role },
      after: { role: next },
    });
    const open = await tx.delete(session).where(eq(session.userId, found.id)).returning({ id: session.id });
    return { changed: true, account: { ...found, role: next }, sessions: open };
  });
  for (const s of sessions) await revokeSession({ id: s.id, userId: account.id });
  return { email: account.email, role: account.role, changed };
}
