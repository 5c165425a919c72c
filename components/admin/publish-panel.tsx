'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { countOf } from '@/lib/format';

/** Publish with a confirmation step: it copies the venue's seats into the event and puts them on sale at the on-sale time. */
export function PublishPanel({ eventId, seatCount, onSale }: { eventId: string; seatCount: number; onSale: string }) {
  const router = useRouter();
  const [step, setStep] = useState<'idle' | 'confirm' | 'busy'>('idle');
  const [error, setError] = useState<string | null>(null);

  async function publish() {
    setStep('busy');
    setError(null);
    try {
      const response = await fetch(`/api/admin/events/${eventId}/publish`, { method: 'POST' });
      const body = (await response.json().catch(() => ({}))) as { detail?: string };
      if (!response.ok) {
        setError(body.detail ?? `Publishing failed (${response.status}).`);
        setStep('idle');
        return;
      }
      router.refresh();
    } catch {
      setError('The connection failed; the event is still a draft. Try again.');
      setStep('idle');
    }
  }

  return (
    <section aria-labelledby="publish-heading" className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <h2 id="publish-heading" className="text-lg font-semibold">
        Publish
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        Publishing copies the venue’s {countOf(seatCount, 'seat', 'seats')} into this event with their price tiers and
        shows it to buyers; seats go on sale {onSale}. After that, the venue, currency and tiers cannot change. Save
        your changes first.
      </p>
      {error && (
        <p role="alert" className="mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-900 ring-1 ring-red-200">
          {error}
        </p>
      )}
      {step === 'idle' ? (
        <Button type="button" className="mt-3" onClick={() => setStep('confirm')}>
          Publish event…
        </Button>
      ) : (
        <div
          role="group"
          aria-label="Confirm publishing"
          className="mt-3 flex flex-wrap items-center gap-3 rounded-lg bg-amber-50 p-3 ring-1 ring-amber-200"
        >
          <p className="text-sm font-medium text-amber-950">Publish now? Buyers will see it at once.</p>
          <Button type="button" disabled={step === 'busy'} onClick={() => void publish()}>
            {step === 'busy' ? 'Publishing…' : 'Yes, publish'}
          </Button>
          <Button type="button" variant="secondary" disabled={step === 'busy'} onClick={() => setStep('idle')}>
            Cancel
          </Button>
        </div>
      )}
    </section>
  );
}
