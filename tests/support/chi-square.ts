import { createHash } from 'node:crypto';

/**
 * Pearson's chi-square over an arrival × place table against the uniform expectation. For a fair draw every cell
 * expects runs / n; the statistic follows chi-square with (n-1)^2 degrees of freedom (rows and columns both sum to
 * `runs`).
 */
export function chiSquare(counts: number[][], expected: number): { statistic: number; dof: number } {
  let statistic = 0;
  for (const row of counts) for (const observed of row) statistic += (observed - expected) ** 2 / expected;
  const n = counts.length;
  return { statistic, dof: (n - 1) * (n - 1) };
}

/**
 * The 0.1 % upper critical value, by the Wilson–Hilferty approximation (accurate to a fraction of a percent for the
 * degrees of freedom used here). A fair draw exceeds it once in a thousand seeds; the tests use fixed seeds.
 */
export function CHI_SQUARE_CRITICAL_0_001(dof: number): number {
  const z = 3.0902;
  const a = 2 / (9 * dof);
  return dof * (1 - a + z * Math.sqrt(a)) ** 3;
}

/** Fixed seeds for reproducible statistical tests. */
export const deterministicSeed = (label: string) => createHash('sha256').update(label).digest('hex');
