import type { ReactNode } from 'react';
import { EventTabs } from '@/components/admin/event-tabs';
import { Providers } from '@/components/providers';

/** The event's admin pages share their tabs; the live figures refresh through TanStack Query, whose provider is here. */
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
