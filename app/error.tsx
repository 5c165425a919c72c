'use client';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl px-4 py-24 text-center">
      <h1 className="text-3xl font-bold tracking-tight">Something went wrong</h1>
      <p className="mt-3 text-slate-600">
        We could not load this page. Please try again in a moment.{error.digest ? ` (Reference ${error.digest})` : ''}
      </p>
      <button
        onClick={reset}
        className="mt-8 inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-4 font-semibold text-white hover:bg-brand-700"
      >
        Try again
      </button>
    </div>
  );
}
