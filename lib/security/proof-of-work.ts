import 'server-only';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { getCoordinator } from '@/lib/coordination';
import type { Leases } from '@/lib/coordination/leases/port';
import { requiredSecret } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/observability/log';
import { metrics } from '@/lib/observability/metrics';
import { leadingZeroBits, POW_HEADER } from './proof-of-work-solver';

export { POW_HEADER };

/**
 * A proof of work for sign-up and for joining the waiting room of a high-demand event (docs/decisions/023-proof-of-work.md).
 *
 * Stateless until it is spent: the challenge is `pow1.<purpose>.<expires>.<bits>.<nonce>.<mac>`, the MAC an
 * HMAC-SHA-256 under AUTH_SECRET over everything before it, so the server keeps nothing between handing it out and
 * checking it. The proof is `<challenge>.<counter>` whose SHA-256 starts with `bits` zero bits. Checking costs one
 * HMAC and one SHA-256; spending it records the nonce once in the coordinator (SET NX with the challenge's remaining
 * lifetime), so a proof works for one request only.
 */

/** About 16,000 SHA-256 on average: a few hundred milliseconds of Web Crypto in a browser, while the page loads. */
const POW_BITS = 14;
const CHALLENGE_TTL_MS = 10 * 60_000;

const solved = metrics.counter('admitone_proof_of_work_total', 'Proofs of work checked, by purpose kind and outcome', [
  'purpose',
  'outcome',
]);

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const macOf = (text: string) =>
  createHmac('sha256', `proof-of-work:${requiredSecret('AUTH_SECRET')}`)
    .update(text)
    .digest('base64url');

/** A fresh challenge for `purpose` (e.g. `queue:<event>:<account>` or `sign-up`). */
export function issueChallenge(purpose: string, now = Date.now(), bits = POW_BITS): string {
  const head = `pow1.${b64(purpose)}.${Math.floor((now + CHALLENGE_TTL_MS) / 1000)}.${bits}.${randomBytes(12).toString('base64url')}`;
  return `${head}.${macOf(head)}`;
}

export type ProofCheck =
  | { ok: true; nonce: string; expiresMs: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'forged' | 'expired' | 'wrong_purpose' | 'insufficient' };

/** Whether `proof` solves a challenge we issued for `purpose` that has not expired. Does not spend it. */
export function checkProof(proof: string | null | undefined, purpose: string, now = Date.now()): ProofCheck {
  if (!proof) return { ok: false, reason: 'missing' };
  const parts = proof.length <= 600 ? proof.split('.') : [];
  if (parts.length !== 7 || parts[0] !== 'pow1' || !/^\d{1,12}$/.test(parts[6]!))
    return { ok: false, reason: 'malformed' };
  const [, purposeText, expiresText, bitsText, nonce, mac] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const head = parts.slice(0, 5).join('.');
  const expected = Buffer.from(macOf(head));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  const expiresMs = Number(expiresText) * 1000;
  if (!(expiresMs > now)) return { ok: false, reason: 'expired' };
  if (purposeText !== b64(purpose)) return { ok: false, reason: 'wrong_purpose' };
  const digest = createHash('sha256').update(proof).digest();
  if (leadingZeroBits(digest) < Number(bitsText)) return { ok: false, reason: 'insufficient' };
  return { ok: true, nonce, expiresMs };
}

/**
 * Records a checked proof as used; false when it was used before. Without a coordinator answer the proof counts as
 * unspent (and a warning is logged): the rate limits behind it still hold, and a Redis outage must not stop sign-ups.
 */
export async function spendProof(
  check: Extract<ProofCheck, { ok: true }>,
  leases: Leases = getCoordinator().leases,
  now = Date.now(),
): Promise<boolean> {
  try {
    return await leases.acquire(`{pow}:${check.nonce}`, '1', Math.max(1, check.expiresMs - now));
  } catch (error) {
    log().warn({ err: error }, 'proof of work: could not record a proof as used; accepting it');
    return true;
  }
}

/**
 * Checks and spends the proof sent for `purpose`, or throws 428 PROOF_OF_WORK_REQUIRED with a fresh challenge to
 * solve (in the problem document's `challenge`; send the answer in the X-AdmitOne-PoW header).
 */
export async function requireProofOfWork(
  proof: string | null | undefined,
  purpose: string,
  deps: { leases?: Leases; now?: number } = {},
): Promise<void> {
  const now = deps.now ?? Date.now();
  const check = checkProof(proof, purpose, now);
  const kind = purpose.split(':')[0]!;
  if (check.ok && (await spendProof(check, deps.leases, now))) {
    solved.inc({ purpose: kind, outcome: 'accepted' });
    return;
  }
  solved.inc({ purpose: kind, outcome: check.ok ? 'reused' : check.reason });
  throw new AppError(
    'PROOF_OF_WORK_REQUIRED',
    'This sale is in high demand: your browser solves a short puzzle first. Send the request again with the solution.',
    {
      challenge: issueChallenge(purpose, now),
      header: POW_HEADER,
    },
  );
}
