import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';

/** The live dashboard refreshes through TanStack Query; its provider wraps the event's admin pages only. */
export default function AdminEventLayout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
