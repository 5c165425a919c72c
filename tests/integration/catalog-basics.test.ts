import { describe, expect, it } from 'vitest';
import { getEventOrThrow, sectionAvailability } from '@/lib/catalog/get-event-or-throw';
import { listUpcomingEvents } from '@/lib/catalog/list-upcoming-events';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';

describe('catalog basics', () => {
  const { handle } = useTestDatabase();
  const db = () => handle().db;

  it('lists upcoming published events soonest first', async () => {
    const later = await createOnSaleEvent(db(), { event: { startsAt: new Date(Date.now() + 40 * 86_400_000) } });
    const sooner = await createOnSaleEvent(db(), { event: { startsAt: new Date(Date.now() + 10 * 86_400_000) } });
    const list = await listUpcomingEvents(db());
    expect(list.map((e) => e.id)).toEqual([sooner.event.id, later.event.id]);
    expect(list[0]).toMatchObject({ venueName: expect.stringContaining('Test Hall'), minPriceMinor: 5000 });
  });

  it('counts seats left per section', async () => {
    const { event } = await createOnSaleEvent(db(), { rows: 2, seatsPerRow: 5, sections: 2 });
    expect(await sectionAvailability(db(), event.id)).toEqual([
      { sectionLabel: 'S1', total: 10, available: 10, minPriceMinor: 5000, maxPriceMinor: 5000 },
      { sectionLabel: 'S2', total: 10, available: 10, minPriceMinor: 5000, maxPriceMinor: 5000 },
    ]);
  });

  it('does not find unknown or malformed event ids', async () => {
    await expect(getEventOrThrow(db(), 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getEventOrThrow(db(), crypto.randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
