import { describe, expect, it } from 'vitest';
import { parseLsn, ReplicaMonitor, type ReplicaState } from '@/db/read-replica';
import { parseEnv } from '@/lib/env';

/** The replica check's rules on a fake clock and fake WAL positions: no servers (read-replica.test.ts has them). */
describe('read replica monitor', () => {
  const make = (maxLagMs = 5_000) => {
    let clock = 0;
    const server = { primary: 100n, replica: 100n, replicaDown: false, primaryDown: false };
    const changes: ReplicaState[] = [];
    const monitor = new ReplicaMonitor(
      {
        primaryLsn: async () => {
          if (server.primaryDown) throw new Error('primary down');
          return server.primary;
        },
        replicaLsn: async () => {
          if (server.replicaDown) throw new Error('replica down');
          return server.replica;
        },
      },
      { maxLagMs, now: () => clock, onChange: (state) => changes.push(state) },
    );
    const tick = async (ms = 1_000) => {
      clock += ms;
      await monitor.check();
    };
    return { monitor, server, changes, tick };
  };

  it('reads WAL positions as PostgreSQL writes them', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
    expect(() => parseLsn('16-B374')).toThrow('not a WAL position');
  });

  it('is not used before its first check, then used while it keeps up', async () => {
    const { monitor, server, tick } = make();
    expect(monitor.state).toEqual({ inUse: false, reason: 'unchecked', lagMs: null });
    await tick();
    expect(monitor.state).toEqual({ inUse: true, reason: 'ok', lagMs: 0 });
    // The primary writes and the replica replays within the second: no lag, however long the primary is idle after.
    server.primary = 200n;
    server.replica = 200n;
    await tick(60_000);
    expect(monitor.state.lagMs).toBe(0);
  });

  it('measures lag from when the primary first had what the replica misses, and skips it past the bound', async () => {
    const { monitor, server, tick, changes } = make(5_000);
    await tick();
    server.primary = 150n; // replay is paused at 100
    await tick(); // t=2s: first seen
    expect(monitor.state).toMatchObject({ inUse: true, lagMs: 0 });
    server.primary = 180n;
    for (let i = 0; i < 5; i++) await tick();
    expect(monitor.state).toEqual({ inUse: true, reason: 'ok', lagMs: 5_000 });
    await tick();
    expect(monitor.state).toEqual({ inUse: false, reason: 'lagging', lagMs: 6_000 });
    // Replay catches up with the first write only: it still misses the second, seen a second later.
    server.replica = 150n;
    await tick();
    expect(monitor.state).toMatchObject({ inUse: false, lagMs: 6_000 });
    server.replica = 180n;
    await tick();
    expect(monitor.state).toEqual({ inUse: true, reason: 'ok', lagMs: 0 });
    expect(changes.map((c) => c.reason)).toEqual(['ok', 'lagging', 'ok']);
  });

  it('skips a replica that does not answer or failed a read, and takes it back when it answers', async () => {
    const { monitor, server, tick } = make();
    await tick();
    server.replicaDown = true;
    await tick();
    expect(monitor.state).toEqual({ inUse: false, reason: 'down', lagMs: null });
    server.replicaDown = false;
    await tick();
    expect(monitor.state.inUse).toBe(true);
    monitor.failed();
    expect(monitor.state).toEqual({ inUse: false, reason: 'down', lagMs: null });
    await tick();
    expect(monitor.state.inUse).toBe(true);
  });

  it('keeps its last decision while the primary does not answer', async () => {
    const { monitor, server, tick } = make();
    await tick();
    server.primaryDown = true;
    server.replicaDown = true;
    await tick();
    expect(monitor.state.inUse).toBe(true);
  });

  it('takes a replica only with a primary, and a lag bound of at least 100 ms', () => {
    const replica = 'postgres://db-replica:5432/admitone';
    expect(() => parseEnv({ DATABASE_REPLICA_URL: replica })).toThrow('DATABASE_REPLICA_URL: needs DATABASE_URL');
    const e = parseEnv({ DATABASE_URL: 'postgres://db:5432/admitone', DATABASE_REPLICA_URL: replica });
    expect(e.DATABASE_REPLICA_MAX_LAG_MS).toBe(5_000);
    expect(() =>
      parseEnv({ DATABASE_URL: 'postgres://db/a', DATABASE_REPLICA_URL: replica, DATABASE_REPLICA_MAX_LAG_MS: '50' }),
    ).toThrow('DATABASE_REPLICA_MAX_LAG_MS');
  });
});
