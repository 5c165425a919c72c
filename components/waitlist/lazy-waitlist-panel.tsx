'use client';

import dynamic from 'next/dynamic';

/**
 * The waitlist panel as a chunk of its own, fetched only on a sold-out event or tier: the event page of any other
 * event does not carry its code.
 */
export const LazyWaitlistPanel = dynamic(() => import('./waitlist-panel').then((m) => m.WaitlistPanel));
