import Link from 'next/link';
import type { ReactNode } from 'react';

/** A page under the API reference's index: the link back to it, the page's title, then its content. */
export function ReferencePage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <p className="text-sm">
        <Link className="text-blue-700 underline" href="/docs/api">
          API reference
        </Link>
      </p>
      <h1 className="mt-1 text-3xl font-bold tracking-tight">{title}</h1>
      {children}
    </div>
  );
}
