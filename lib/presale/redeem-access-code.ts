import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { AppError } from '@/lib/errors';
import { pgArray } from './account-access';
import { ACCESS_CODE_PATTERN, normalizeAccessCode } from '@/lib/contracts/access-code-format';

export type Redemption = { codeId: string; presaleId: string | null; tierIds: string[]; already: boolean };

/** The one answer for a code that does not exist, is disabled or is of another event: it tells a guesser nothing. */
const unknownCode = () => new AppError('NOT_FOUND', 'That presale code is not valid for this event.');

/**
 * Records that the account redeemed the code, and counts the use, atomically: one transaction inserts the
 * account's redemption (the primary key makes a second entry of the same code by the same account a no-op that
 * counts nothing) and then raises the code's count only while it is below its limit. A code at its limit refuses,
 * and the transaction's rollback takes the redemption with it. Twenty buyers at once on a code with five uses left:
 * the row lock of the conditional update orders them, five are counted, and the check constraint
 * (uses <= max_uses) would stop a sixth even if this code were wrong. All in PostgreSQL: Redis plays no part.
 */
export async function redeemAccessCode(
  db: Database,
  input: { eventId: string; userId: string; code: string },
): Promise<Redemption> {
  const code = normalizeAccessCode(input.code);
  if (!ACCESS_CODE_PATTERN.test(code)) throw unknownCode();
  return db.transaction(async (tx) => {
    const [found] = await rows<{ id: string; presale_id: string | null; tier_ids: string[] | string }>(
      tx,
      sql`select id, presale_id, unlocks_tier_ids::text[] as tier_ids from access_codes
           where event_id = ${input.eventId} and code = ${code} and disabled_at is null`,
    );
    if (!found) throw unknownCode();
    const answer = (already: boolean): Redemption => ({
      codeId: found.id,
      presaleId: found.presale_id,
      tierIds: pgArray(found.tier_ids),
      already,
    });
    const inserted = await rows<{ code_id: string }>(
      tx,
      sql`insert into access_code_redemptions (code_id, user_id, event_id) values (${found.id}, ${input.userId}, ${input.eventId})
          on conflict (code_id, user_id) do nothing returning code_id`,
    );
    if (!inserted.length) return answer(true);
    const counted = await rows<{ id: string }>(
      tx,
      sql`update access_codes set uses = uses + 1 where id = ${found.id} and uses < max_uses returning id`,
    );
    if (!counted.length) throw new AppError('CONFLICT', 'That presale code has been used as often as it may be.');
    return answer(false);
  });
}
