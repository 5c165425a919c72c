import { describe, expect, it } from 'vitest';
import { MemoryCoordinator } from '@/lib/coordination/memory';
import { checkProof, issueChallenge, requireProofOfWork } from '@/lib/security/proof-of-work';
import { challengeBits, solveChallenge } from '@/lib/security/proof-of-work-solver';

/** Issue 15, item 8: the proof of work is checked statelessly, bound to its purpose, and good for one request. */
describe('proof of work', () => {
  it('accepts a solved challenge for its own purpose, once', async () => {
    const coordinator = new MemoryCoordinator();
    const challenge = issueChallenge('queue:event-1:account-1');
    expect(challengeBits(challenge)).toBeGreaterThanOrEqual(12);
    const proof = await solveChallenge(challenge);
    expect(checkProof(proof, 'queue:event-1:account-1')).toMatchObject({ ok: true });
    await expect(
      requireProofOfWork(proof, 'queue:event-1:account-1', { leases: coordinator.leases }),
    ).resolves.toBeUndefined();
    // The same proof again is refused, with a fresh challenge to solve.
    const again = await requireProofOfWork(proof, 'queue:event-1:account-1', { leases: coordinator.leases }).catch(
      (e: unknown) => e,
    );
    expect(again).toMatchObject({
      code: 'PROOF_OF_WORK_REQUIRED',
      status: 428,
      extras: { challenge: expect.stringMatching(/^pow1\./), header: 'x-admitone-pow' },
    });
  });

  it('refuses a missing, forged, unsolved, expired or borrowed proof', async () => {
    const challenge = issueChallenge('sign-up');
    const proof = await solveChallenge(challenge);
    expect(checkProof(null, 'sign-up')).toEqual({ ok: false, reason: 'missing' });
    expect(checkProof('pow1.x', 'sign-up')).toEqual({ ok: false, reason: 'malformed' });
    // Lower the difficulty in the challenge: the MAC no longer matches.
    const parts = proof.split('.');
    parts[3] = '0';
    expect(checkProof(parts.join('.'), 'sign-up')).toEqual({ ok: false, reason: 'forged' });
    // A counter that does not solve it.
    const counter = Number(proof.split('.').at(-1));
    const unsolved = [...proof.split('.').slice(0, -1), String(counter === 0 ? 1 : counter - 1)].join('.');
    expect(checkProof(unsolved, 'sign-up')).toMatchObject({ ok: false });
    // Solved for sign-up, used to join a queue; and too late.
    expect(checkProof(proof, 'queue:event-1:account-1')).toEqual({ ok: false, reason: 'wrong_purpose' });
    expect(checkProof(proof, 'sign-up', Date.now() + 11 * 60_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('costs the server one HMAC and one SHA-256: thousands of checks in well under a second', async () => {
    const proof = await solveChallenge(issueChallenge('sign-up'));
    const started = performance.now();
    for (let i = 0; i < 5_000; i++) checkProof(proof, 'sign-up');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
