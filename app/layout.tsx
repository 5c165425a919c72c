import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteHeader } from '@/components/site-header';
import { currentViewer } from '@/lib/auth/page-guards';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'AdmitOne — reserved seats, fairly sold', template: '%s · AdmitOne' },
  description:
    'Find an event, wait your turn fairly, pick your seats on a live map and get tickets that work at the door.',
  // Added to a phone's home screen, AdmitOne opens on the buyer's tickets (app/manifest.ts).
  appleWebApp: { capable: true, title: 'Tickets', statusBarStyle: 'default' },
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#2552e8' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await currentViewer();
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <SiteHeader viewer={viewer} />
        <main id="main" className="flex-1">
          {children}
        </main>
        <footer className="border-t border-slate-200 bg-white py-8 text-sm text-slate-600">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-4">
            <p>AdmitOne — open-source ticketing. Every seat sold exactly once.</p>
            <p>
              <a className="underline hover:text-slate-900" href="/api/health">
                System status
              </a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
