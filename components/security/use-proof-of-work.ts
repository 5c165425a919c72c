'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { solveChallenge } from '@/lib/security/proof-of-work-solver';

const subscribeToNothing = () => () => {};

/**
 * Solves a proof-of-work challenge in the background as soon as the page is shown (a few hundred milliseconds of
 * Web Crypto, long before anyone finishes typing). `proof` is the answer once found; `solving` is true only in a
 * browser running this script, while it works, so a form can wait for it; without JavaScript nothing waits.
 */
export function useProofOfWork(challenge: string | undefined): { proof: string | null; solving: boolean } {
  const [solved, setSolved] = useState<{ challenge: string; proof: string | null } | null>(null);
  const inBrowser = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
  useEffect(() => {
    if (!challenge) return;
    const abort = new AbortController();
    solveChallenge(challenge, { signal: abort.signal }).then(
      (proof) => setSolved({ challenge, proof }),
      () => {
        // Gave up: the form goes without a proof (the smaller budget), rather than waiting for ever.
        if (!abort.signal.aborted) setSolved({ challenge, proof: null });
      },
    );
    return () => abort.abort();
  }, [challenge]);
  const done = solved !== null && solved.challenge === challenge;
  return { proof: done ? solved.proof : null, solving: Boolean(challenge) && inBrowser && !done };
}
