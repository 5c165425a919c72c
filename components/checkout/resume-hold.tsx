'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { HoldCountdown } from '@/components/hold-countdown/hold-countdown';
import { ApiError, requestJson } from '@/components/seat-map/api';
import { Button } from '@/components/ui/button';

export type HeldSeats = { id: string; eventName: string; seatCount: number; expiresAt: string; serverTime: string };

/** POST /api/holds/{id}/resume: admits this browser session to the hold's event until the hold ends. */
async function resume(holdId: string): Promise<string> {
  const { checkoutUrl } = await requestJson<{ checkoutUrl: string }>(`/api/holds/${holdId}/resume`, { method: 'POST' });
  return checkoutUrl;
}

/**
 * One running hold of the buyer, offered to go on with here or to give back: on "My tickets", and on a checkout
 * opened in a browser that has no turn in the waiting room for its event (a link from another device). Resuming
 * is a full navigation to the checkout, so the gate sees the admission cookie the answer set.
 */
export function ResumeHold({ hold, headingLevel = 3 }: { hold: HeldSeats; headingLevel?: 2 | 3 }) {
  const router = useRouter();
  const [receivedAt] = useState(() => Date.now());
  const [busy, setBusy] = useState<'resume' | 'release' | null>(null);
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const seats = `${hold.seatCount} ${hold.seatCount === 1 ? 'seat' : 'seats'}`;

  const fail = (error: unknown) => {
    setBusy(null);
    if (error instanceof ApiError && (error.code === 'HOLD_NOT_ACTIVE' || error.status === 404)) {
      setMessage({ tone: 'info', text: 'These seats are no longer held (paid for, released or ran out).' });
      router.refresh();
      return;
    }
    setMessage({ tone: 'error', text: error instanceof Error ? error.message : 'Something went wrong. Try again.' });
  };
  const onResume = async () => {
    setBusy('resume');
    setMessage(null);
    try {
      window.location.assign(await resume(hold.id));
    } catch (error) {
      fail(error);
    }
  };
  const onRelease = async () => {
    setBusy('release');
    setMessage(null);
    try {
      await requestJson<unknown>(`/api/holds/${hold.id}`, { method: 'DELETE' });
      setBusy(null);
      setMessage({ tone: 'info', text: `Released ${seats} for ${hold.eventName}.` });
      router.refresh();
    } catch (error) {
      fail(error);
    }
  };

  return (
    <div className="space-y-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <Heading className="font-semibold">
        {seats} held for you: {hold.eventName}
      </Heading>
      <HoldCountdown
        expiresAt={hold.expiresAt}
        serverTime={hold.serverTime}
        receivedAt={receivedAt}
        onExpire={() => router.refresh()}
      />
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => void onResume()} disabled={busy !== null}>
          {busy === 'resume' ? 'Opening checkout…' : 'Resume checkout'}
        </Button>
        <Button variant="secondary" onClick={() => void onRelease()} disabled={busy !== null}>
          {busy === 'release' ? 'Releasing…' : `Release ${hold.seatCount === 1 ? 'seat' : 'seats'}`}
        </Button>
      </div>
      <p
        role={message?.tone === 'error' ? 'alert' : 'status'}
        className={message?.tone === 'error' ? 'text-sm text-red-800' : 'text-sm text-slate-700'}
      >
        {message?.text}
      </p>
    </div>
  );
}
