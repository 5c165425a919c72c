import { describe, expect, it } from 'vitest';
import { getEventDetails, sectionAvailability } from '@/lib/catalog/get-event-details';
import { getEventOrThrow } from '@/lib/catalog/get-event-or-throw';
import { searchEvents } from '@/lib/catalog/search-events';
import { normalizeSearch } from '@/lib/contracts/catalog';
import { DEFAULT_PREQUEUE_LEAD_MS } from '@/lib/queue/policy';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';

describe('catalog basics', () => {
  const { handle } = useTestDatabase();
  const db = () => handle().db;

  it('lists upcoming published events soonest first', async () => {
    const later = await createOnSaleEvent(db(), { event: { startsAt: new Date(Date.now() + 40 * 86_400_000) } });
    const sooner = await createOnSaleEvent(db(), { event: { startsAt: new Date(Date.now() + 10 * 86_400_000) } });
    const list = await searchEvents(db(), normalizeSearch({}));
    expect(list.items.map((e) => e.id)).toEqual([sooner.event.id, later.event.id]);
    expect(list.items[0]).toMatchObject({ venueName: expect.stringContaining('Test Hall'), minPriceMinor: 5000 });
  });

  it('counts seats left per section', async () => {
    const { event } = await createOnSaleEvent(db(), { rows: 2, seatsPerRow: 5, sections: 2 });
    expect(await sectionAvailability(db(), event.id)).toEqual([
      { label: 'S1', name: 'Section 1', seatsTotal: 10, seatsAvailable: 10, minPriceMinor: 5000, maxPriceMinor: 5000 },
      { label: 'S2', name: 'Section 2', seatsTotal: 10, seatsAvailable: 10, minPriceMinor: 5000, maxPriceMinor: 5000 },
    ]);
  });

  it('does not find unknown or malformed event ids', async () => {
    await expect(getEventOrThrow(db(), 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getEventOrThrow(db(), crypto.randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says when sales open, are open, or are over', async () => {
    const day = 86_400_000;
    const { event } = await createOnSaleEvent(db(), {
      event: { onSaleAt: new Date(Date.now() + day), startsAt: new Date(Date.now() + 10 * day) },
    });
    // The waiting room opens before the sale (the event page offers to join it from then).
    expect((await getEventDetails(db(), event.id)).sale).toEqual({
      state: 'scheduled',
      opensAt: event.onSaleAt.toISOString(),
      waitingRoomOpensAt: new Date(event.onSaleAt.getTime() - DEFAULT_PREQUEUE_LEAD_MS).toISOString(),
    });
    expect((await getEventDetails(db(), event.id, { now: new Date(Date.now() + 2 * day) })).sale.state).toBe('on_sale');
    expect((await getEventDetails(db(), event.id, { now: new Date(Date.now() + 11 * day) })).sale.state).toBe(
      'started',
    );
  });
});
