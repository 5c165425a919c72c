import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';

/** The seat map's live data needs TanStack Query; only this page loads it (the rest of the buyer's pages ship none). */
export default function SeatsLayout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
