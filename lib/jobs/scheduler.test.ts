import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryLeases } from '@/lib/coordination/leases/memory';
import type { Leases } from '@/lib/coordination/leases/port';
import { scheduleJob } from './scheduler';

describe('scheduleJob', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-07T10:00:00.300Z'));
  });
  afterEach(() => vi.useRealTimers());

  /** Three "processes" sharing one lease store, as app instances share Redis. */
  const processes = (leases: Leases, scope?: 'cluster' | 'process') => {
    const runs: string[] = [];
    const stops = ['a', 'b', 'c'].map((owner) =>
      scheduleJob(
        { name: 'sweep', everyMs: 5_000, scope, run: async () => void runs.push(owner) },
        { leases: () => leases, owner },
      ),
    );
    return { runs, stop: () => stops.forEach((stop) => stop()) };
  };

  it('runs a cluster-wide job once per interval across processes, at the start of each interval', async () => {
    const { runs, stop } = processes(new MemoryLeases(Date.now));
    await vi.advanceTimersByTimeAsync(4_000); // 10:00:04.3, before the first boundary
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(50_000);
    stop();
    expect(runs).toHaveLength(10);
  });

  it('keeps running when a process stops: the next interval goes to another', async () => {
    const leases = new MemoryLeases(Date.now);
    const runs: string[] = [];
    const start = (owner: string) =>
      scheduleJob(
        { name: 'sweep', everyMs: 5_000, run: async () => void runs.push(owner) },
        { leases: () => leases, owner },
      );
    const stopA = start('a');
    const stopB = start('b');
    await vi.advanceTimersByTimeAsync(20_000);
    stopA();
    await vi.advanceTimersByTimeAsync(20_000);
    stopB();
    expect(runs).toHaveLength(8);
    expect(runs.slice(4).every((owner) => owner === 'b')).toBe(true);
  });

  it('runs a per-process job in every process', async () => {
    const { runs, stop } = processes(new MemoryLeases(Date.now), 'process');
    await vi.advanceTimersByTimeAsync(10_000);
    stop();
    expect(runs).toHaveLength(6);
  });

  it('runs anyway when the lease store fails (jobs are safe to run twice)', async () => {
    const failing: Leases = {
      acquire: () => Promise.reject(new Error('redis down')),
      release: () => Promise.resolve(),
    };
    const { runs, stop } = processes(failing);
    await vi.advanceTimersByTimeAsync(5_000);
    stop();
    expect(runs.sort()).toEqual(['a', 'b', 'c']);
  });

  it('never overlaps its own previous run', async () => {
    let running = 0;
    let most = 0;
    const stop = scheduleJob(
      {
        name: 'slow',
        everyMs: 1_000,
        scope: 'process',
        run: async () => {
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 2_500));
          running--;
        },
      },
      { leases: () => new MemoryLeases(), owner: 'a' },
    );
    await vi.advanceTimersByTimeAsync(10_000);
    stop();
    expect(most).toBe(1);
  });
});
