/**
 * Shown while a search runs. It sits in a route group so it does not wrap the event pages: a streamed response is
 * already 200 when notFound() runs, and an unknown event must answer 404.
 */
export default function Loading() {
  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:py-10" aria-busy="true">
      <p role="status" className="sr-only">
        Loading events…
      </p>
      <div className="mb-4 h-8 w-48 animate-pulse rounded bg-slate-200" />
      <div className="h-28 animate-pulse rounded-xl bg-white ring-1 ring-slate-200" />
      <ul className="mt-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-hidden>
        {Array.from({ length: 6 }, (_, i) => (
          <li key={i} className="h-56 animate-pulse rounded-xl bg-white ring-1 ring-slate-200" />
        ))}
      </ul>
    </div>
  );
}
