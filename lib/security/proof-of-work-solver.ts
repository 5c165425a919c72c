/**
 * Solves a proof-of-work challenge (lib/security/proof-of-work.ts) with Web Crypto: finds the first counter whose
 * SHA-256 of `<challenge>.<counter>` starts with the challenge's number of zero bits. Runs in the browser (the
 * sign-up form and the waiting room do it while the person reads the page) and in tests. No server imports.
 * Digests are asked for in batches, so the cost is hashing rather than one promise round trip per try.
 */
const encoder = new TextEncoder();
const BATCH = 256;

/** The request header that carries a solved proof (`<challenge>.<counter>`). */
export const POW_HEADER = 'x-admitone-pow';

/** Leading zero bits of a digest. */
export function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** The difficulty a challenge names (its fourth field), or null when the text is not a challenge. */
export function challengeBits(challenge: string): number | null {
  const parts = challenge.split('.');
  const bits = Number(parts[3]);
  return parts.length === 6 && parts[0] === 'pow1' && Number.isInteger(bits) && bits >= 0 && bits <= 32 ? bits : null;
}

/** The proof to send (`<challenge>.<counter>`); gives up after `maxTries` (never reached at the difficulties we set). */
export async function solveChallenge(
  challenge: string,
  options: { maxTries?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const bits = challengeBits(challenge);
  if (bits === null) throw new Error('not a proof-of-work challenge');
  const maxTries = options.maxTries ?? 2 ** (bits + 6);
  for (let start = 0; start < maxTries; start += BATCH) {
    if (options.signal?.aborted) throw new Error('aborted');
    const digests = await Promise.all(
      Array.from({ length: BATCH }, (_, k) =>
        crypto.subtle.digest('SHA-256', encoder.encode(`${challenge}.${start + k}`)),
      ),
    );
    for (let k = 0; k < BATCH; k++)
      if (leadingZeroBits(new Uint8Array(digests[k]!)) >= bits) return `${challenge}.${start + k}`;
  }
  throw new Error('no solution found');
}
