import 'server-only';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { SEAT_FLAG, type LayoutDocument } from '@/lib/contracts/inventory';
import { readWithFallback } from '@/lib/catalog/read-db';
import { AppError } from '@/lib/errors';
import { processSingleton } from '@/lib/process-singletons';
import { layoutWithout } from './layout-view';
import { getSaleRules } from './sale-rules';

type Cached = { doc: LayoutDocument; body: string; etag: string };
/** Every seat, and the views without some hidden tiers (by the tiers left out), built once each. */
type Entry = Cached & { views: Map<string, Cached> };
const cache = processSingleton('layouts', () => new LRUCache<string, Entry>({ max: 32 }));

/**
 * The event's seat layout as published: immutable, so it is built once per process and served with a long cache
 * lifetime and an ETag. Columnar arrays keep a 50,000-seat stadium to a few hundred kilobytes before compression.
 * The route passes `getReadDb()`: a published layout is the same on the read replica, and an event the replica does
 * not have yet is looked for on the primary.
 */
export async function getLayout(db: Database, eventId: string): Promise<Entry> {
  const hit = cache.get(eventId);
  if (hit) return hit;
  if (!/^[0-9a-f-]{36}$/i.test(eventId)) throw new AppError('NOT_FOUND', 'No such event.');
  const built = await readWithFallback(db, (from) => buildLayout(from, eventId), { confirmMissing: true });
  const entry = { ...built, views: new Map<string, Cached>() };
  cache.set(eventId, entry);
  return entry;
}

/**
 * Who sees which seats (docs/decisions/044-hidden-tiers-and-published-presale-draws.md): everyone sees the tiers that
 * are not hidden, a buyer also the hidden tiers their admission's presale codes unlock, and organizers and box-office
 * staff every tier.
 */
export type LayoutAudience = { unlockedTierIds: readonly string[] } | 'staff';

/**
 * The layout as `audience` may see it: without the hidden tiers it has not unlocked. Which tiers are hidden comes
 * from the event's sale rules, which the hold route keeps in memory too (read again every two seconds in the
 * background, so hiding a tier reaches every instance that quickly): an event without hidden tiers is served the
 * one document with its one ETag, as before, at no database cost per request. Each view is built once.
 */
export async function getLayoutFor(
  db: Database,
  rulesDb: Database,
  eventId: string,
  audience: LayoutAudience = { unlockedTierIds: [] },
): Promise<Cached> {
  const [entry, rules] = await Promise.all([getLayout(db, eventId), getSaleRules(rulesDb, eventId)]);
  if (audience === 'staff' || rules.hiddenTiers.length === 0) return entry;
  const omitted = rules.hiddenTiers.filter((t) => !audience.unlockedTierIds.includes(t));
  if (!omitted.length) return entry;
  const key = omitted.join(',');
  let view = entry.views.get(key);
  if (!view) {
    const doc = layoutWithout(entry.doc, new Set(omitted));
    // The ETag names the view without naming the tiers it leaves out.
    const tag = createHash('sha256').update(key).digest('hex').slice(0, 12);
    view = { doc, body: JSON.stringify(doc), etag: `"layout-${eventId}-${doc.layoutVersion}-${tag}"` };
    if (entry.views.size >= 16) entry.views.clear();
    entry.views.set(key, view);
  }
  return view;
}

async function buildLayout(db: Database, eventId: string): Promise<Cached> {
  const [event] = await rows<{
    id: string;
    status: string;
    currency: string;
    published_at: Date | string | null;
    drawing: { stage?: LayoutDocument['stage'] };
  }>(
    db,
    sql`select e.id, e.status, e.currency, e.published_at, v.drawing from events e join venues v on v.id = e.venue_id where e.id = ${eventId}`,
  );
  if (!event || event.status === 'draft' || !event.published_at) throw new AppError('NOT_FOUND', 'No such event.');
  const [tiers, seats] = await Promise.all([
    rows<{ id: string; name: string; price_minor: number; color: string }>(
      db,
      sql`select id, name, price_minor, color from price_tiers where event_id = ${eventId} order by sort_order, name`,
    ),
    rows<{
      id: number | string;
      section_label: string;
      row_label: string;
      seat_label: string;
      seat_index: number;
      x: number;
      y: number;
      price_tier_id: string;
      wheelchair: boolean;
      companion: boolean;
      restricted_view: boolean;
      section_name: string;
    }>(
      db,
      sql`select es.id, es.section_label, es.row_label, es.seat_label, es.seat_index, es.x, es.y, es.price_tier_id,
                 es.wheelchair, es.companion, es.restricted_view, sec.name as section_name
          from event_seats es join sections sec on sec.id = es.section_id
          where es.event_id = ${eventId} order by es.idx`,
    ),
  ]);
  const tierIndex = new Map(tiers.map((t, i) => [t.id, i]));
  const sections: LayoutDocument['sections'] = [];
  const sectionIndex = new Map<string, number>();
  const rowList: LayoutDocument['rows'] = [];
  const rowIndex = new Map<string, number>();
  const columns: LayoutDocument['seats'] = { id: [], row: [], label: [], order: [], x: [], y: [], tier: [], flags: [] };
  for (const seat of seats) {
    let s = sectionIndex.get(seat.section_label);
    if (s === undefined) {
      s = sections.push({ label: seat.section_label, name: seat.section_name }) - 1;
      sectionIndex.set(seat.section_label, s);
    }
    const rowKey = `${s}\u0000${seat.row_label}`;
    let r = rowIndex.get(rowKey);
    if (r === undefined) {
      r = rowList.push({ section: s, label: seat.row_label }) - 1;
      rowIndex.set(rowKey, r);
    }
    columns.id.push(Number(seat.id));
    columns.row.push(r);
    columns.label.push(seat.seat_label);
    columns.order.push(seat.seat_index);
    // Whole map units are precise enough (a seat is about 10 wide) and keep the document small.
    columns.x.push(Math.round(Number(seat.x)));
    columns.y.push(Math.round(Number(seat.y)));
    columns.tier.push(tierIndex.get(seat.price_tier_id) ?? 0);
    columns.flags.push(
      (seat.wheelchair ? SEAT_FLAG.wheelchair : 0) |
        (seat.companion ? SEAT_FLAG.companion : 0) |
        (seat.restricted_view ? SEAT_FLAG.restrictedView : 0),
    );
  }
  const layoutVersion = String(new Date(event.published_at).getTime());
  const doc: LayoutDocument = {
    eventId,
    layoutVersion,
    currency: event.currency,
    stage: event.drawing?.stage ? { ...event.drawing.stage, label: event.drawing.stage.label ?? 'Stage' } : null,
    tiers: tiers.map((t) => ({ id: t.id, name: t.name, priceMinor: Number(t.price_minor), color: t.color })),
    sections,
    rows: rowList,
    seats: columns,
  };
  return { doc, body: JSON.stringify(doc), etag: `"layout-${eventId}-${layoutVersion}"` };
}
