import type { DemoSeedStatus } from '@/db/seed/status';

/** Said while a first start is still adding the demo catalogue: the pages are not broken, the events are on their way. */
export function DemoDataNotice({ status }: { status: DemoSeedStatus | undefined }) {
  if (status?.state !== 'loading') return null;
  return (
    <p role="status" className="mb-4 rounded-xl bg-amber-50 p-4 text-sm text-amber-900 ring-1 ring-amber-200">
      Demo events are being added ({status.events} of {status.total} so far). Reload in a moment to see them all.
    </p>
  );
}
