import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '@/db/sql';
import { withIdempotency } from '@/lib/checkout/with-idempotency';
import { AppError } from '@/lib/errors';
import { useTestDatabase } from '../support/database';
import { createUser } from '../support/fixtures';
import { fakeClock } from '../support/inventory';

/** The idempotency store on its own: claims, replays, reuse, waiting, takeover and retention. */
describe('idempotency keys', () => {
  const { handle } = useTestDatabase();
  const db = () => handle().db;

  it('runs once and replays the answer; the same key with another body is 422; keys are per account', async () => {
    const alice = await createUser(db());
    const bob = await createUser(db());
    let runs = 0;
    const run = async (id: string) => ({ id, n: ++runs });
    const first = await withIdempotency(
      db(),
      { userId: alice.id, scope: 'test', key: 'key-0001', request: { a: 1, b: [1, 2] } },
      run,
    );
    // Key order does not matter.
    expect(
      await withIdempotency(
        db(),
        { userId: alice.id, scope: 'test', key: 'key-0001', request: { b: [1, 2], a: 1 } },
        run,
      ),
    ).toEqual(first);
    await expect(
      withIdempotency(db(), { userId: alice.id, scope: 'test', key: 'key-0001', request: { a: 2 } }, run),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const bobs = await withIdempotency(
      db(),
      { userId: bob.id, scope: 'test', key: 'key-0001', request: { a: 1 } },
      run,
    );
    expect(bobs.n).toBe(2);
    expect(runs).toBe(2);
  });

  it('replays a refusal (4xx) but lets a retry run again after an unexpected failure, with the same record id', async () => {
    const alice = await createUser(db());
    const ids: string[] = [];
    const refuse = async () => {
      throw new AppError('PAYMENT_DECLINED', 'No.', { declineCode: 'generic_decline' });
    };
    await expect(
      withIdempotency(db(), { userId: alice.id, scope: 'test', key: 'key-0002', request: {} }, refuse),
    ).rejects.toMatchObject({ code: 'PAYMENT_DECLINED' });
    await expect(
      withIdempotency(db(), { userId: alice.id, scope: 'test', key: 'key-0002', request: {} }, async () => 'ran'),
    ).rejects.toMatchObject({
      code: 'PAYMENT_DECLINED',
      message: 'No.',
      extras: { declineCode: 'generic_decline' },
    });

    const crash = async (id: string) => {
      ids.push(id);
      throw new Error('boom');
    };
    await expect(
      withIdempotency(db(), { userId: alice.id, scope: 'test', key: 'key-0003', request: {} }, crash),
    ).rejects.toThrow('boom');
    const ok = await withIdempotency(
      db(),
      { userId: alice.id, scope: 'test', key: 'key-0003', request: {} },
      async (id) => (ids.push(id), 'done'),
    );
    expect(ok).toBe('done');
    expect(new Set(ids).size).toBe(1);
  });

  it('makes a concurrent duplicate wait for the first, or answer 409 when it takes too long', async () => {
    const alice = await createUser(db());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = withIdempotency(db(), { userId: alice.id, scope: 'test', key: 'key-0004', request: {} }, async () => {
      await gate;
      return 'first';
    });
    await new Promise((r) => setTimeout(r, 20));
    await expect(
      withIdempotency(db(), { userId: alice.id, scope: 'test', key: 'key-0004', request: {} }, async () => 'second', {
        waitMs: 100,
      }),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      status: 409,
    });
    const waiting = withIdempotency(
      db(),
      { userId: alice.id, scope: 'test', key: 'key-0004', request: {} },
      async () => 'second',
      { waitMs: 5_000 },
    );
    release();
    expect(await slow).toBe('first');
    expect(await waiting).toBe('first');
  });

  it('lets a retry take over a key whose first request died, and frees a key after its 24 hours', async () => {
    const alice = await createUser(db());
    const clock = fakeClock();
    // A request that claimed the key and never finished (the process died).
    const dead = withIdempotency(
      db(),
      { userId: alice.id, scope: 'test', key: 'key-0005', request: {} },
      () => new Promise<string>(() => {}),
      { now: clock.now, lockMs: 1_000 },
    );
    void dead;
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(2_000);
    expect(
      await withIdempotency(
        db(),
        { userId: alice.id, scope: 'test', key: 'key-0005', request: {} },
        async () => 'taken over',
        { now: clock.now },
      ),
    ).toBe('taken over');

    clock.advance(25 * 3_600_000);
    expect(
      await withIdempotency(
        db(),
        { userId: alice.id, scope: 'test', key: 'key-0005', request: { other: true } },
        async () => 'new use',
        { now: clock.now },
      ),
    ).toBe('new use');
    const [kept] = await rows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from idempotency_keys where key = 'key-0005'`,
    );
    expect(kept!.n).toBe(1);
  });
});
