import { ButtonAnchor } from '@/components/ui/plain-button';

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl px-4 py-24 text-center">
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">We couldn’t find that page</h1>
      <p className="mt-3 text-slate-600">The event may have been removed, or the link is mistyped.</p>
      <ButtonAnchor href="/events" className="mt-8">
        Browse events
      </ButtonAnchor>
    </div>
  );
}
