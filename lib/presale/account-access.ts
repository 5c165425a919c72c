import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { isUuid } from '@/lib/contracts/uuid';
import { memoizePerDb } from '@/lib/queue/memo';

export type PresaleWindow = { id: string; name: string; startsAt: Date; endsAt: Date; admissionRatePerMinute: number };

/** What an account's redeemed presale codes unlock for one event. */
export type AccountAccess = {
  /** Presales of the redeemed codes, earliest first. */
  presales: PresaleWindow[];
  /** Hidden price tiers the codes unlock. */
  tierIds: string[];
  /** The smallest per-account seat limit of those codes; null without a code. */
  perAccountLimit: number | null;
};

export const NO_ACCESS: AccountAccess = { presales: [], tierIds: [], perAccountLimit: null };

/** One indexed read (access_code_redemptions by account and event); disabled codes unlock nothing. */
export async function getAccountAccess(db: Database, eventId: string, userId: string): Promise<AccountAccess> {
  const found = await rows<{
    presale_id: string | null;
    name: string | null;
    starts_at: Date | string | null;
    ends_at: Date | string | null;
    rate: number | null;
    tier_ids: string[] | string;
    per_account_limit: number;
  }>(
    db,
    sql`select c.presale_id, p.name, p.starts_at, p.ends_at, p.admission_rate_per_minute as rate,
               c.unlocks_tier_ids::text[] as tier_ids, c.per_account_limit
          from access_code_redemptions r
          join access_codes c on c.id = r.code_id and c.disabled_at is null
          left join presales p on p.id = c.presale_id
         where r.user_id = ${userId} and r.event_id = ${eventId}`,
  );
  if (!found.length) return NO_ACCESS;
  const presales = new Map<string, PresaleWindow>();
  const tierIds = new Set<string>();
  for (const row of found) {
    if (row.presale_id && row.starts_at && row.ends_at)
      presales.set(row.presale_id, {
        id: row.presale_id,
        name: row.name ?? '',
        startsAt: new Date(row.starts_at),
        endsAt: new Date(row.ends_at),
        admissionRatePerMinute: Number(row.rate),
      });
    for (const id of pgArray(row.tier_ids)) tierIds.add(id);
  }
  return {
    presales: [...presales.values()].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()),
    tierIds: [...tierIds].sort(),
    perAccountLimit: Math.min(...found.map((r) => r.per_account_limit)),
  };
}

/** postgres.js reads text[] as an array; PGlite may too, or as its literal. */
export function pgArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
}

/** Whether an event has any presale code at all: its page offers the code form only then. */
export async function hasAccessCodes(db: Database, eventId: string): Promise<boolean> {
  if (!isUuid(eventId)) return false;
  const found = await rows<{ one: number }>(
    db,
    sql`select 1 as one from access_codes where event_id = ${eventId} and disabled_at is null limit 1`,
  );
  return found.length > 0;
}

/**
 * hasAccessCodes for the waiting room, per process for five seconds: it asks on every join and poll before the
 * on-sale, the busiest minutes of a high-demand event, and nearly no event has codes. Creating a code forgets the
 * answer at once in this process (lib/presale/manage-presales.ts); other instances see it within five seconds.
 */
export const eventHasAccessCodes = memoizePerDb<Database, boolean>(5_000, hasAccessCodes);
