import 'server-only';
import type { Role } from '@/lib/auth/viewer';
import { and, eq } from 'drizzle-orm';
import { ticketTransfers } from '@/db/schema';
import type { CancelTransferResult } from '@/lib/contracts/checkout';
import { isUuid } from '@/lib/contracts/uuid';
import { AppError } from '@/lib/errors';
import type { TransferDeps } from './transfer-ticket';

/** POST /api/transfers/{id}/cancel: the sender (or an admin) takes back a transfer nobody has claimed yet. */
export async function cancelTransfer(
  deps: Pick<TransferDeps, 'db' | 'now'>,
  actor: { id: string; role: Role },
  transferId: string,
): Promise<CancelTransferResult> {
  if (!isUuid(transferId)) throw new AppError('NOT_FOUND', 'No such transfer.');
  return deps.db.transaction(async (tx) => {
    const [transfer] = await tx.select().from(ticketTransfers).where(eq(ticketTransfers.id, transferId)).for('update');
    if (!transfer || (transfer.fromUserId !== actor.id && actor.role !== 'admin'))
      throw new AppError('NOT_FOUND', 'No such transfer.');
    if (transfer.status === 'cancelled') return { transferId, status: 'cancelled' as const };
    if (transfer.status === 'claimed')
      throw new AppError('INVALID_STATE', 'This ticket was already claimed; it belongs to them now.');
    await tx
      .update(ticketTransfers)
      .set({ status: 'cancelled', resolvedAt: deps.now() })
      .where(and(eq(ticketTransfers.id, transferId), eq(ticketTransfers.status, 'pending')));
    return { transferId, status: 'cancelled' as const };
  });
}
