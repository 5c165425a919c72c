/** Shown while an event page loads. */
export default function Loading() {
  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:py-8" aria-busy="true">
      <p role="status" className="sr-only">
        Loading the event…
      </p>
      <div className="h-4 w-40 animate-pulse rounded bg-slate-200" />
      <div className="mt-6 h-10 w-2/3 animate-pulse rounded bg-slate-200" />
      <div className="mt-8 grid gap-8 lg:grid-cols-[1fr_340px]">
        <div className="h-64 animate-pulse rounded-xl bg-white ring-1 ring-slate-200" />
        <div className="h-64 animate-pulse rounded-xl bg-white ring-1 ring-slate-200" />
      </div>
    </div>
  );
}
