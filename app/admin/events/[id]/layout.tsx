import type { ReactNode } from 'react';
import { EventTabs } from '@/components/admin/event-tabs';
import { Providers } from '@/components/providers';

/**
 * The event's admin pages: their tabs, and the TanStack Query provider the live dashboard refreshes through. The
 * pages check the organizer themselves (requireAdminPage); the tabs are links only.
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
      <EventTabs eventId={id} />
      {children}
    </Providers>
  );
}
