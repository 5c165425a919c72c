/* eslint-disable @next/next/no-html-link-for-pages -- plain links on purpose: see ButtonAnchor in components/ui/plain-button.tsx */
import type { Viewer } from '@/lib/auth/viewer';

/**
 * Plain links and a sign-out form: the header is on every page, so a next/link here would load the client router's
 * link code and hydrate a component per link on pages that are otherwise server-rendered text.
 */
export function SiteHeader({ viewer }: { viewer: Viewer | null }) {
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <div className="mx-auto flex h-16 max-w-6xl items-center gap-2 px-4 sm:gap-4">
        <a href="/" className="flex items-center gap-2 text-lg font-bold tracking-tight text-slate-900">
          <span aria-hidden className="grid h-8 w-8 place-items-center rounded-lg bg-brand-600 text-sm text-white">
            A1
          </span>
          {/* On a phone the mark alone, so the navigation fits on one line at 375 px. */}
          <span className="sr-only sm:not-sr-only">AdmitOne</span>
        </a>
        <nav
          aria-label="Main"
          className="ml-auto flex items-center gap-0.5 whitespace-nowrap text-sm font-medium sm:gap-2"
        >
          <a href="/events" className="rounded-md px-2 py-2 text-slate-700 hover:bg-slate-100 sm:px-3">
            Events
          </a>
          {viewer ? (
            <>
              <a href="/orders" className="rounded-md px-2 py-2 text-slate-700 hover:bg-slate-100 sm:px-3">
                My tickets
              </a>
              {viewer.role === 'admin' && (
                <a href="/admin" className="rounded-md px-2 py-2 text-slate-700 hover:bg-slate-100 sm:px-3">
                  Admin
                </a>
              )}
              <form action="/sign-out" method="post">
                <button
                  className="rounded-md px-2 py-2 text-slate-700 hover:bg-slate-100 sm:px-3"
                  title={`Signed in as ${viewer.email}`}
                >
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <>
              <a href="/sign-in" className="rounded-md px-2 py-2 text-slate-700 hover:bg-slate-100 sm:px-3">
                Sign in
              </a>
              <a
                href="/sign-up"
                className="hidden rounded-lg bg-brand-600 px-3 py-2 text-white hover:bg-brand-700 sm:inline-block"
              >
                Create account
              </a>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
