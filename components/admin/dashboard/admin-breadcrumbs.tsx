import Link from 'next/link';

/** Where an admin page sits ("Admin / Orders / AO-…"); the admin layout's navigation sits above it. */
export function AdminBreadcrumbs({ trail }: { trail: { href?: string; label: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
      <ol className="flex flex-wrap items-center gap-1">
        <li>
          <Link href="/admin" className="font-medium text-brand-700 hover:underline">
            Admin
          </Link>
        </li>
        {trail.map((step, i) => (
          <li key={`${step.label}-${i}`} className="flex items-center gap-1">
            <span aria-hidden="true">/</span>
            {step.href ? (
              <Link href={step.href} className="font-medium text-brand-700 hover:underline">
                {step.label}
              </Link>
            ) : (
              <span aria-current="page" className="max-w-[16rem] truncate">
                {step.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
