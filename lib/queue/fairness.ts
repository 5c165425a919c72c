import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The pre-queue draw, small enough to check by hand (docs/fairness.md):
 *   seed        64 hex characters from a CSPRNG, chosen and stored before the pre-queue opens, kept secret
 *   commitment  SHA-256(seed) in hex, published from then on
 *   order       entrants sorted by HMAC-SHA256(key = seed, message = entry id) in hex, ascending
 * Publishing the commitment first means the seed cannot be picked after seeing who entered; sorting by a keyed hash
 * makes every order equally likely whatever the arrival order, and anyone can recompute it from the revealed seed.
 */
export const DRAW_ALGORITHM =
  'sort entries by hex HMAC-SHA256(key=utf8(seed), msg=utf8(entry)); commitment = hex SHA-256(utf8(seed))';

export const newSeed = (): string => randomBytes(32).toString('hex');

export const commitmentOf = (seed: string): string => createHash('sha256').update(seed, 'utf8').digest('hex');

export const drawKey = (seed: string, entry: string): string =>
  createHmac('sha256', seed).update(entry, 'utf8').digest('hex');

/** The drawn order of the entrants (their arrival order does not matter). */
export function drawOrder(seed: string, entries: readonly string[]): string[] {
  return entries
    .map((entry) => ({ entry, key: drawKey(seed, entry) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.entry < b.entry ? -1 : 1))
    .map((x) => x.entry);
}

/** What anyone can check: the seed matches the commitment and reproduces the published order. */
export function verifyDraw(draw: { commitment: string; seed: string; entries: readonly string[] }): boolean {
  if (commitmentOf(draw.seed) !== draw.commitment) return false;
  const again = drawOrder(draw.seed, draw.entries);
  return again.every((entry, i) => entry === draw.entries[i]);
}
