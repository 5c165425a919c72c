'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

const paidKey = (holdId: string) => `admitone:paid:${holdId}`;

/** Called by the checkout form once the hold became a paid order: Back to this checkout then shows the order. */
export function rememberPaid(holdId: string, orderId: string) {
  try {
    sessionStorage.setItem(paidKey(holdId), orderId);
  } catch {
    // Storage refused (private mode quotas): the pageshow reload below still asks the server.
  }
}

/**
 * Back (or Forward) to a checkout that was paid meanwhile must show the order, not a countdown and a Pay button.
 * The server already redirects a paid hold's checkout to its order, but two caches can show the old page without
 * asking it: the client router restores a visited page from its own cache on Back, and the browser's back-forward
 * cache restores the whole document. So the page checks what this tab knows (the hold was paid here) on every mount,
 * and asks the server again whenever the document comes back from the back-forward cache.
 */
export function ShowOrderWhenPaid({ holdId }: { holdId: string }) {
  const router = useRouter();
  useEffect(() => {
    let orderId: string | null = null;
    try {
      orderId = sessionStorage.getItem(paidKey(holdId));
    } catch {
      orderId = null;
    }
    if (orderId) router.replace(`/orders/${orderId}`);
    const onShow = (event: PageTransitionEvent) => {
      if (event.persisted) router.refresh();
    };
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, [holdId, router]);
  return null;
}
