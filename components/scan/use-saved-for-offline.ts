'use client';

import { useEffect, useState } from 'react';

export type SavedState = 'no' | 'saving' | 'yes';

/**
 * Once the scanner is ready online (paired or signed in), registers the service worker (public/sw.js) and asks it to
 * keep /scan's shell and its build assets, so the page opens again with no network (a reload, or the home screen).
 * The camera's chunk, and the QR decoder's where the phone has no BarcodeDetector, are loaded first so they are
 * among the assets kept: the camera must start offline too.
 */
export function useSavedForOffline(ready: boolean): SavedState {
  const [saved, setSaved] = useState<SavedState>('no');
  useEffect(() => {
    if (!ready || !('serviceWorker' in navigator) || !('caches' in window)) return;
    let cancelled = false;
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: string; what?: string } | null;
      if (data?.type === 'saved' && data.what === 'scanner' && !cancelled) setSaved('yes');
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    void (async () => {
      try {
        await navigator.serviceWorker.register('/sw.js', { scope: '/' });
        const registration = await navigator.serviceWorker.ready;
        if (cancelled) return;
        setSaved('saving');
        await import('./camera-reader').catch(() => null);
        if (!('BarcodeDetector' in window)) await import('jsqr').catch(() => null);
        const assets = performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .filter((url) => url.startsWith(`${location.origin}/_next/static/`));
        registration.active?.postMessage({ type: 'save-scanner', urls: [...new Set(assets)] });
      } catch {
        // No service worker here (private mode, an old browser): the scanner still works while the page stays open.
        if (!cancelled) setSaved('no');
      }
    })();
    return () => {
      cancelled = true;
      navigator.serviceWorker.removeEventListener('message', onMessage);
    };
  }, [ready]);
  return saved;
}
