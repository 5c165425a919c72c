import type { ReactNode } from 'react';
import { EventTabs } from '@/components/admin/event-tabs';
import { Providers } from '@/components/providers';
import { isUuid } from '@/lib/contracts/uuid';

/**
 * The event's admin pages: tabs between them, and the TanStack Query provider the live dashboard refreshes through.
 * Each page checks the admin role itself.
 */
export default async function AdminEventLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ id: string }>;
}) {
  const { id } = await params;
  return (
    <Providers>
      {isUuid(id) && <EventTabs eventId={id} />}
      {children}
    </Providers>
  );
}
