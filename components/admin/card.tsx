import type { ReactNode } from 'react';
import { Panel } from '@/components/ui/panel';

/** A titled white panel of the organizer pages (dashboard, order detail). */
export function Card({ title, className = '', children }: { title: string; className?: string; children: ReactNode }) {
  return (
    <Panel title={title} className={className}>
      <div className="mt-3">{children}</div>
    </Panel>
  );
}
