import { describe, expect, it } from 'vitest';
import { commitmentOf, drawKey, drawOrder, newSeed, verifyDraw } from '@/lib/queue/fairness';
import { chiSquare, CHI_SQUARE_CRITICAL_0_001, deterministicSeed } from '@/tests/support/chi-square';

describe('pre-queue draw', () => {
  it('commits to the seed with SHA-256 and reproduces the order from it', () => {
    const seed = newSeed();
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(commitmentOf(seed)).toMatch(/^[0-9a-f]{64}$/);
    expect(commitmentOf(seed)).not.toBe(commitmentOf(newSeed()));
    const entries = Array.from({ length: 50 }, (_, i) => `qentry${i}`);
    const order = drawOrder(seed, entries);
    expect(new Set(order)).toEqual(new Set(entries));
    expect(order).not.toEqual(entries);
    // Anyone recomputes the same order from the revealed seed, whatever order they list the entries in.
    expect(drawOrder(seed, [...entries].reverse())).toEqual(order);
    expect(verifyDraw({ commitment: commitmentOf(seed), seed, entries: order })).toBe(true);
  });

  it('matches the known answer in docs/fairness.md, so an implementation in any language can be checked', () => {
    const seed = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
    expect(commitmentOf(seed)).toBe('6c86c6aac5fb24bcf5d9939cb7d7d5645ce39418f449e03b262dd4fa14b4b92b');
    expect(drawKey(seed, 'qcarol')).toBe('797df965cd6297c7a3cd651a425fc8d82e05af038ea194e803562e35489b77c7');
    expect(drawKey(seed, 'qalice')).toBe('8d3a36c3e274220b0630f081b7c10f53d4e8b15163994ed64e0a58dac8495cd8');
    expect(drawKey(seed, 'qbob')).toBe('eba7cdd8ab0eaf9cbf9c9a59a6ebbc33dc1bb0ec6083f333a6823c185b4cd577');
    expect(drawOrder(seed, ['qalice', 'qbob', 'qcarol'])).toEqual(['qcarol', 'qalice', 'qbob']);
  });

  it('detects a wrong seed or a reordered record', () => {
    const seed = newSeed();
    const entries = drawOrder(seed, ['qa', 'qb', 'qc', 'qd', 'qe']);
    const commitment = commitmentOf(seed);
    expect(verifyDraw({ commitment, seed: newSeed(), entries })).toBe(false);
    expect(verifyDraw({ commitment, seed, entries: [entries[1]!, entries[0]!, ...entries.slice(2)] })).toBe(false);
  });

  it('shows no position bias by arrival order over many draws (chi-square)', () => {
    const n = 12;
    const runs = 6_000;
    // counts[arrival][place]
    const counts = Array.from({ length: n }, () => Array<number>(n).fill(0));
    for (let run = 0; run < runs; run++) {
      const seed = deterministicSeed(`fairness-${run}`);
      const arrivals = Array.from({ length: n }, (_, i) => `qrun${run}-arrival${i}`);
      drawOrder(seed, arrivals).forEach((entry, place) => counts[arrivals.indexOf(entry)]![place]!++);
    }
    const { statistic, dof } = chiSquare(counts, runs / n);
    expect(dof).toBe((n - 1) * (n - 1));
    expect(statistic).toBeLessThan(CHI_SQUARE_CRITICAL_0_001(dof));
    // And the first arrival in particular is not favoured: its mean place is the middle.
    const meanPlace = counts[0]!.reduce((sum, c, place) => sum + c * place, 0) / runs;
    expect(Math.abs(meanPlace - (n - 1) / 2)).toBeLessThan(0.2);
  });
});
