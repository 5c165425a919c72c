import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POST as publishRoute } from '@/app/api/admin/events/[id]/publish/route';
import { GET as getRoute, PATCH as patchRoute } from '@/app/api/admin/events/[id]/route';
import { POST as blockRoute } from '@/app/api/admin/events/[id]/seats/block/route';
import { POST as unblockRoute } from '@/app/api/admin/events/[id]/seats/unblock/route';
import { GET as listRoute, POST as createRoute } from '@/app/api/admin/events/route';
import { GET as availabilityRoute } from '@/app/api/events/[id]/availability/route';
import { rows } from '@/db/sql';
import { createVenue } from '@/lib/admin/create-venue';
import type { AvailabilitySnapshot } from '@/lib/contracts/inventory';
import { forgetAvailability, forgetSaleRules } from '@/lib/inventory';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createUser } from '../support/fixtures';
import { call } from '../support/http';
import { seatIdsOf, statusCounts } from '../support/inventory';
import { sessionCookies } from '../support/sessions';

/** Organizers create, edit and publish events over the admin API; box-office blocks; every change audited. */
describe('admin events', () => {
  const { handle } = useTestDatabase();
  useTestCoordinator();

  async function setup() {
    forgetSaleRules();
    forgetAvailability();
    const admin = await createUser(handle().db, { role: 'admin' });
    const cookie = (await sessionCookies(handle().db, [admin.id]))[0]!;
    const venue = await createVenue(
      handle().db,
      {
        name: 'Little Hall',
        city: 'Leeds',
        sections: [
          {
            label: 'L',
            name: 'Left',
            origin: { x: -60, y: 0 },
            rows: [
              { label: 'A', seats: 6, aislesAfter: [3], wheelchair: [1] },
              { label: 'B', seats: 6 },
            ],
          },
          {
            label: 'R',
            name: 'Right',
            origin: { x: 60, y: 0 },
            rows: [
              { label: 'A', seats: 6 },
              { label: 'B', seats: 6 },
            ],
          },
        ],
      },
      admin.id,
    );
    const now = Date.now();
    const input = {
      name: 'Opening Night',
      performer: 'The Testers',
      category: 'concert',
      venueId: venue.id,
      startsAt: new Date(now + 20 * 86_400_000).toISOString(),
      timezone: 'Europe/London',
      onSaleAt: new Date(now - 3_600_000).toISOString(),
      currency: 'GBP',
      tiers: [
        { name: 'Front', priceMinor: 6500, color: '#db2777' },
        { name: 'Back', priceMinor: 3500 },
      ],
      assignments: [
        { tier: 'Back', sectionLabel: 'L' },
        { tier: 'Front', sectionLabel: 'L', rowLabel: 'A' },
      ],
    };
    return { admin, cookie, venue, input };
  }
  /** An event created through the API with `body`, then published; its id. */
  async function createPublished(cookie: string, body: Record<string, unknown>): Promise<string> {
    const id = ((await call(createRoute, { method: 'POST', cookie, body })).body as { id: string }).id;
    await call(publishRoute, { method: 'POST', params: { id }, cookie });
    return id;
  }
  const audit = (entityId: string) =>
    rows<{
      actor_id: string;
      action: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    }>(
      handle().db,
      sql`select actor_id, action, before, after from audit_log where entity_id = ${entityId} order by id`,
    );

  it('creates a draft, edits it, refuses publishing with an unpriced section, then publishes with both tiers', async () => {
    const { admin, cookie, input } = await setup();
    const created = await call(createRoute, { method: 'POST', cookie, body: input });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect(created.headers.get('location')).toBe(`/api/admin/events/${id}`);

    const edited = await call(patchRoute, {
      method: 'PATCH',
      params: { id },
      cookie,
      body: { name: 'Opening Night (late show)', holdMinutes: 10 },
    });
    expect(edited).toMatchObject({ status: 200, body: { changed: ['name', 'holdMinutes'] } });
    const shown = await call(getRoute, { params: { id }, cookie });
    expect(shown.body).toMatchObject({
      status: 'draft',
      lockedFields: [],
      event: { name: 'Opening Night (late show)', holdMinutes: 10, timezone: 'Europe/London', currency: 'GBP' },
    });

    const refused = await call(publishRoute, { method: 'POST', params: { id }, cookie });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'INVALID_STATE', sections: ['R'] });

    const priced = await call(patchRoute, {
      method: 'PATCH',
      params: { id },
      cookie,
      body: { assignments: [...input.assignments, { tier: 'Back', sectionLabel: 'R' }] },
    });
    expect(priced.status).toBe(200);
    const published = await call(publishRoute, { method: 'POST', params: { id }, cookie });
    expect(published).toMatchObject({ status: 200, body: { status: 'published', seats: 24 } });
    const tiers = await rows<{ name: string; n: number }>(
      handle().db,
      sql`select t.name, count(*)::int as n from event_seats es join price_tiers t on t.id = es.price_tier_id where es.event_id = ${id} group by t.name order by t.name`,
    );
    expect(tiers).toEqual([
      { name: 'Back', n: 18 },
      { name: 'Front', n: 6 },
    ]);
    expect((await call(publishRoute, { method: 'POST', params: { id }, cookie })).status).toBe(409);

    const trail = await audit(id);
    expect(trail.map((a) => a.action)).toEqual(['event.create', 'event.update', 'event.update', 'event.publish']);
    expect(trail.every((a) => a.actor_id === admin.id)).toBe(true);
    expect(trail[1]).toMatchObject({
      before: { name: 'Opening Night', holdMinutes: 8 },
      after: { name: 'Opening Night (late show)', holdMinutes: 10 },
    });
    expect(trail[3]).toMatchObject({ before: { status: 'draft' }, after: { status: 'published', seats: 24 } });

    const list = await call(listRoute, { url: '/api/admin/events?status=published', cookie });
    expect((list.body as { events: { id: string }[] }).events.map((e) => e.id)).toEqual([id]);
  });

  it('an invalid time zone is a 422 on create and on edit, never a 500', async () => {
    const { cookie, input } = await setup();
    const bad = await call(createRoute, { method: 'POST', cookie, body: { ...input, timezone: 'Mars/Olympus_Mons' } });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect((bad.body as { errors: { path: string; message: string }[] }).errors).toEqual([
      { path: 'timezone', message: expect.stringMatching(/IANA time zone/) },
    ]);

    const id = ((await call(createRoute, { method: 'POST', cookie, body: input })).body as { id: string }).id;
    const patched = await call(patchRoute, {
      method: 'PATCH',
      params: { id },
      cookie,
      body: { timezone: 'Not/A_Zone' },
    });
    expect(patched.status).toBe(422);
    expect(
      (await call(patchRoute, { method: 'PATCH', params: { id }, cookie, body: { startsAt: 'tomorrow-ish' } })).status,
    ).toBe(422);
    expect((await call(patchRoute, { method: 'PATCH', params: { id }, cookie, body: { noSuchField: 1 } })).status).toBe(
      422,
    );
    expect((await call(patchRoute, { method: 'PATCH', params: { id }, cookie, rawBody: '{"name": ' })).status).toBe(
      400,
    );
    expect((await call(getRoute, { params: { id: 'not-a-uuid' }, cookie })).status).toBe(404);
    expect((await call(publishRoute, { method: 'POST', params: { id: 'not-a-uuid' }, cookie })).status).toBe(404);
    expect((await call(getRoute, { params: { id }, cookie })).body).toMatchObject({
      event: { timezone: 'Europe/London' },
    });
  });

  it('after publishing, the venue, currency and tiers are locked (409) while descriptions and limits still change', async () => {
    const { cookie, input } = await setup();
    const id = await createPublished(cookie, {
      ...input,
      assignments: [
        { tier: 'Back', sectionLabel: 'L' },
        { tier: 'Front', sectionLabel: 'R' },
      ],
    });
    const locked = await call(patchRoute, {
      method: 'PATCH',
      params: { id },
      cookie,
      body: { tiers: [{ name: 'Front', priceMinor: 1 }], currency: 'USD' },
    });
    expect(locked.status).toBe(409);
    expect(locked.body).toMatchObject({ code: 'INVALID_STATE', lockedFields: ['tiers', 'currency'] });
    // Sending the locked fields unchanged (a form that posts everything) is fine.
    const same = await call(patchRoute, {
      method: 'PATCH',
      params: { id },
      cookie,
      body: {
        currency: 'GBP',
        assignments: [
          { tier: 'Front', sectionLabel: 'R' },
          { tier: 'Back', sectionLabel: 'L' },
        ],
        description: 'Doors at seven.',
        perOrderLimit: 4,
      },
    });
    expect(same).toMatchObject({ status: 200, body: { changed: ['description', 'perOrderLimit'] } });
    expect((await call(getRoute, { params: { id }, cookie })).body).toMatchObject({
      status: 'published',
      lockedFields: ['venueId', 'currency', 'tiers', 'assignments'],
    });
  });

  it('box office: blocked seats read as unavailable to buyers, are audited with the reason, and can be released', async () => {
    const { admin, cookie, input } = await setup();
    const id = await createPublished(cookie, {
      ...input,
      assignments: [
        { tier: 'Back', sectionLabel: 'L' },
        { tier: 'Back', sectionLabel: 'R' },
      ],
    });
    const seats = await seatIdsOf(handle(), id);

    const blocked = await call(blockRoute, {
      method: 'POST',
      params: { id },
      cookie,
      body: { seatIds: [seats[0], seats[1], seats[0]], reason: 'House seats' },
    });
    expect(blocked).toMatchObject({ status: 200, body: { changed: [seats[0], seats[1]], skipped: [] } });
    expect(await statusCounts(handle(), id)).toMatchObject({ blocked: 2, available: 22 });
    forgetAvailability();
    const snapshot = (await call(availabilityRoute, { params: { id } })).body as AvailabilitySnapshot;
    expect(snapshot.statuses.slice(0, 3)).toBe('330');
    expect(snapshot.counts).toMatchObject({ blocked: 2, available: 22 });

    const again = await call(blockRoute, {
      method: 'POST',
      params: { id },
      cookie,
      body: { seatIds: [seats[1], seats[2]], reason: 'Camera' },
    });
    expect(again.body).toEqual({ changed: [seats[2]], skipped: [seats[1]] });
    const noReason = await call(blockRoute, {
      method: 'POST',
      params: { id },
      cookie,
      body: { seatIds: [seats[3]], reason: '' },
    });
    expect(noReason.status).toBe(422);

    const released = await call(unblockRoute, {
      method: 'POST',
      params: { id },
      cookie,
      body: { seatIds: [seats[0], seats[1], seats[2], seats[5]], reason: 'Released to sale' },
    });
    expect(released.body).toEqual({ changed: [seats[0], seats[1], seats[2]], skipped: [seats[5]] });
    expect(await statusCounts(handle(), id)).toMatchObject({ blocked: 0, available: 24 });

    const trail = (await audit(id)).filter((a) => a.action.startsWith('seats.'));
    expect(trail).toEqual([
      {
        actor_id: admin.id,
        action: 'seats.block',
        before: { status: 'available', seatIds: [seats[0], seats[1]] },
        after: { status: 'blocked', seatIds: [seats[0], seats[1]], reason: 'House seats' },
      },
      {
        actor_id: admin.id,
        action: 'seats.block',
        before: { status: 'available', seatIds: [seats[2]] },
        after: { status: 'blocked', seatIds: [seats[2]], reason: 'Camera' },
      },
      {
        actor_id: admin.id,
        action: 'seats.unblock',
        before: { status: 'blocked', seatIds: [seats[0], seats[1], seats[2]] },
        after: { status: 'available', seatIds: [seats[0], seats[1], seats[2]], reason: 'Released to sale' },
      },
    ]);
  });
});
