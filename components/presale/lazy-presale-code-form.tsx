'use client';

import dynamic from 'next/dynamic';

/**
 * The presale code form as a chunk of its own, fetched only where the form shows (an event with presale codes, for a
 * signed-in buyer): the event page of any other event does not carry its code.
 */
export const LazyPresaleCodeForm = dynamic(() => import('./presale-code-form').then((m) => m.PresaleCodeForm));
