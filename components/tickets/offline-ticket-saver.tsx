'use client';

import { useEffect, useState } from 'react';

/**
 * Registers the service worker (public/sw.js) and asks it to keep this page, the ticket list (where the app added to a
 * home screen opens, app/manifest.ts) and what the page loaded, so the ticket opens without a signal at the venue.
 * Says so once it is saved. On the list itself (`what="list"`) it keeps the list.
 */
export function OfflineTicketSaver({ what = 'ticket' }: { what?: 'ticket' | 'list' }) {
  const [saved, setSaved] = useState<'no' | 'saving' | 'yes' | 'unsupported'>('no');
  useEffect(() => {
    // Without service workers (old browsers, private modes) the page still works online; it just says nothing.
    if (!('serviceWorker' in navigator) || !('caches' in window)) return;
    let cancelled = false;
    const onMessage = (event: MessageEvent) => {
      if ((event.data as { type?: string })?.type === 'saved' && !cancelled) setSaved('yes');
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        if (!cancelled) setSaved('saving');
        const assets = performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .filter((url) => url.startsWith(`${location.origin}/_next/static/`));
        registration.active?.postMessage({
          type: 'save',
          urls: [...new Set([location.pathname, '/tickets', '/orders', ...assets])],
        });
      })
      .catch(() => !cancelled && setSaved('unsupported'));
    return () => {
      cancelled = true;
      navigator.serviceWorker.removeEventListener('message', onMessage);
    };
  }, []);

  if (saved === 'unsupported' || saved === 'no') return null;
  return (
    <p role="status" className="text-xs text-slate-600">
      {saved === 'yes'
        ? what === 'ticket'
          ? '✓ Saved on this device: this ticket opens without a signal.'
          : '✓ Saved on this device: this list opens without a signal, and so does each ticket you have opened here.'
        : what === 'ticket'
          ? 'Saving this ticket for offline use…'
          : 'Saving your tickets for offline use…'}
    </p>
  );
}
