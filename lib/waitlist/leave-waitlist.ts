import 'server-only';
import { sql } from 'drizzle-orm';
import { rows, ts } from '@/db/sql';
import type { WaitlistStatus } from '@/lib/contracts/waitlist';
import { releaseHold } from '@/lib/inventory';
import type { WaitlistDeps } from './deps';
import { getWaitlistStatus } from './get-waitlist-status';
import { wakeWaitlist } from './wake';

/**
 * Takes the account off the event's waitlist. A waiting entry is left; an offered one is declined: its seats are
 * released (refused while a payment for them is under way) and go to the next match. Leaving when not on the list
 * changes nothing.
 */
export async function leaveWaitlist(
  deps: WaitlistDeps,
  input: { eventId: string; userId: string },
): Promise<WaitlistStatus> {
  const { eventId, userId } = input;
  const now = deps.now();
  // Validates the event (NOT_FOUND) before anything changes.
  const before = await getWaitlistStatus(deps.db, { eventId, userId, now });
  const entry = before.entry;
  if (entry?.status === 'waiting') {
    await deps.db.execute(
      sql`update waitlist_entries set status = 'left', ended_at = ${ts(now)} where id = ${entry.id} and status = 'waiting'`,
    );
  } else if (entry?.status === 'offered') {
    const [offered] = await rows<{ hold_id: string }>(
      deps.db,
      sql`select hold_id from waitlist_entries where id = ${entry.id} and status = 'offered'`,
    );
    if (offered) {
      // Release first: if a payment is under way this refuses, and the entry stays offered.
      await releaseHold(deps, offered.hold_id, userId);
      await deps.db.execute(
        sql`update waitlist_entries set status = 'declined', ended_at = ${ts(now)} where id = ${entry.id} and status = 'offered'`,
      );
      wakeWaitlist(eventId);
    }
  }
  return getWaitlistStatus(deps.db, { eventId, userId, now });
}
