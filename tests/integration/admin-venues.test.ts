import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { GET as exportRoute } from '@/app/api/admin/venues/[id]/layout/route';
import { GET as getVenueRoute } from '@/app/api/admin/venues/[id]/route';
import { GET as listRoute, POST as createRoute } from '@/app/api/admin/venues/route';
import { rows } from '@/db/sql';
import { stadium, theatre } from '@/db/seed/venues';
import { venueLayoutSchema } from '@/lib/contracts/venue-layout';
import { useTestDatabase } from '../support/database';
import { createUser } from '../support/fixtures';
import { call } from '../support/http';
import { sessionCookies } from '../support/sessions';

/** The venue builder's API: layout files in and out, exactly; problems named by line; every venue audited. */
describe('admin venues', () => {
  const { handle } = useTestDatabase();

  async function signedInAdmin() {
    const admin = await createUser(handle().db, { role: 'admin' });
    return { ...admin, cookie: (await sessionCookies(handle().db, [admin.id]))[0]! };
  }
  const importText = (cookie: string, text: string) =>
    call(createRoute, { method: 'POST', url: '/api/admin/venues?source=import', cookie, rawBody: text });
  const exportText = async (cookie: string, id: string) => {
    const res = await call(exportRoute, { params: { id }, cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.layout\.json"/);
    return JSON.stringify(res.body, null, 2) + '\n';
  };
  const seatsOf = (venueId: string) =>
    rows<Record<string, unknown>>(
      handle().db,
      sql`select sec.label as section, sec.name, sec.sort_order, s.row_label, s.row_index, s.seat_label, s.seat_index, s.x, s.y, s.wheelchair, s.companion, s.restricted_view
          from seats s join sections sec on sec.id = s.section_id where s.venue_id = ${venueId}
          order by sec.sort_order, s.row_index, s.seat_index`,
    );

  it('a stadium exported as JSON and imported again is the same layout, seat for seat', async () => {
    const admin = await signedInAdmin();
    const source = stadium('Summit Stadium', 'Austin', 'US', 'America/Chicago');
    const created = await importText(admin.cookie, JSON.stringify(source));
    expect(created.status).toBe(201);
    const { id: firstId, seatCount } = created.body as { id: string; seatCount: number };
    expect(seatCount).toBe(50_800);

    const file = await exportText(admin.cookie, firstId);
    // As JSON (a file has no negative zero, which the generator produces).
    expect(JSON.parse(file)).toEqual(JSON.parse(JSON.stringify(venueLayoutSchema.parse(source))));
    const again = await importText(admin.cookie, file);
    expect(again.status).toBe(201);
    const secondId = (again.body as { id: string }).id;
    expect(secondId).not.toBe(firstId);

    expect(await exportText(admin.cookie, secondId)).toBe(file);
    const [first, second] = await Promise.all([seatsOf(firstId), seatsOf(secondId)]);
    expect(second.length).toBe(50_800);
    expect(second).toEqual(first);

    const venue = await call(getVenueRoute, { params: { id: secondId }, cookie: admin.cookie });
    expect(venue.body).toMatchObject({ id: secondId, name: 'Summit Stadium', layout: { sections: expect.any(Array) } });
    const list = await call(listRoute, { cookie: admin.cookie });
    expect(
      (list.body as { venues: { id: string; seats: number }[] }).venues.filter((v) => v.seats === 50_800),
    ).toHaveLength(2);
  }, 120_000);

  it('refuses duplicate section labels, duplicate rows and empty sections with the line and reason, and saves nothing', async () => {
    const admin = await signedInAdmin();
    const layout = theatre('Dup Hall', 'Leeds', 'GB', 'Europe/London');
    const sections = layout.sections as { label: string; rows: { label: string }[] }[];
    sections[1]!.label = 'stalls'; // same as "Stalls", ignoring case
    sections[0]!.rows[3]!.label = sections[0]!.rows[2]!.label;
    const text = JSON.stringify(
      { ...layout, sections: [...sections, { label: 'Empty', name: 'Empty', origin: { x: 0, y: 900 }, rows: [] }] },
      null,
      2,
    );
    const res = await importText(admin.cookie, text);
    expect(res.status).toBe(422);
    const problem = res.body as {
      code: string;
      detail: string;
      errors: { line: number; path: string; message: string }[];
    };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.detail).toMatch(/^Line \d+/);
    const lines = text.split('\n');
    const byPath = new Map(problem.errors.map((e) => [e.path, e]));
    expect(byPath.get('sections.1.label')!.message).toMatch(/section label "stalls" is used twice/);
    expect(lines[byPath.get('sections.1.label')!.line - 1]).toContain('"label": "stalls"');
    expect(byPath.get('sections.0.rows.3.label')!.message).toMatch(/appears twice/);
    expect(byPath.get('sections.2.rows')!.message).toBe('a section needs at least one row');
    expect(lines[byPath.get('sections.2.rows')!.line - 1]).toContain('"rows": []');
    expect(await rows(handle().db, sql`select 1 from venues`)).toHaveLength(0);
  });

  it('names the line and column of a file that is not JSON, and refuses an unknown time zone', async () => {
    const admin = await signedInAdmin();
    const broken = await importText(admin.cookie, '{\n  "name": "Hall",\n  "city": "Leeds"\n  "sections": []\n}');
    expect(broken.status).toBe(422);
    expect((broken.body as { errors: unknown[] }).errors[0]).toMatchObject({ line: 4, column: 3 });
    const zone = await importText(
      admin.cookie,
      JSON.stringify({ ...theatre('Hall', 'Leeds', 'GB', 'Europe/London'), timezone: 'Europe/Atlantis' }),
    );
    expect(zone.status).toBe(422);
    expect((zone.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['timezone']);
  });

  it('writes who created which venue to the audit log', async () => {
    const admin = await signedInAdmin();
    const res = await importText(admin.cookie, JSON.stringify(theatre('Audit Hall', 'Leeds', 'GB', 'Europe/London')));
    const id = (res.body as { id: string }).id;
    const audit = await rows<{
      actor_id: string;
      action: string;
      before: unknown;
      after: { name: string; seats: number; source: string };
    }>(
      handle().db,
      sql`select actor_id, action, before, after from audit_log where entity_type = 'venue' and entity_id = ${id}`,
    );
    expect(audit).toEqual([
      {
        actor_id: admin.id,
        action: 'venue.create',
        before: null,
        after: expect.objectContaining({ name: 'Audit Hall', seats: 500, source: 'import' }),
      },
    ]);
  });

  it('answers 404 for a venue id that is not a UUID or does not exist', async () => {
    const admin = await signedInAdmin();
    expect((await call(exportRoute, { params: { id: 'not-a-uuid' }, cookie: admin.cookie })).status).toBe(404);
    expect((await call(getVenueRoute, { params: { id: crypto.randomUUID() }, cookie: admin.cookie })).status).toBe(404);
  });
});
