'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { requestJson } from '@/components/seat-map/api';

/**
 * Takes a counter sale back (POST /api/counter/sales/{id}/void) after the staff member confirms: the money goes back
 * across the counter and the till is read again.
 */
export function VoidSaleButton({ orderId, reference, amount }: { orderId: string; reference: string; amount: string }) {
  const router = useRouter();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  async function run() {
    if (!window.confirm(`Void sale ${reference} and hand back ${amount}?`)) return;
    setState({ busy: true, error: null });
    try {
      await requestJson(`/api/counter/sales/${orderId}/void`, { method: 'POST', body: '{}' });
      setState({ busy: false, error: null });
      router.refresh();
    } catch (error) {
      setState({ busy: false, error: (error as Error).message });
    }
  }
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <button
        type="button"
        onClick={run}
        disabled={state.busy}
        aria-label={`Void sale ${reference}`}
        className="rounded-md px-2 py-1 text-sm font-semibold text-red-700 ring-1 ring-red-200 hover:bg-red-50 disabled:opacity-60"
      >
        {state.busy ? 'Voiding…' : 'Void'}
      </button>
      {state.error && (
        <span role="alert" className="max-w-48 text-xs text-red-700">
          {state.error}
        </span>
      )}
    </span>
  );
}
