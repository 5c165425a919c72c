import type { MetadataRoute } from 'next';

/**
 * The web app manifest (served at /manifest.webmanifest): "Add to Home Screen" on a phone gives an app that opens on
 * the buyer's tickets, which the service worker (public/sw.js) keeps for when the venue has no signal. Icons are drawn
 * by scripts/generate-icons.ts.
 */
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: '/tickets',
    name: 'AdmitOne tickets',
    short_name: 'Tickets',
    description: 'Your tickets, with their door codes, on this phone: they open without a signal.',
    start_url: '/tickets',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#ffffff',
    theme_color: '#2552e8',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    shortcuts: [
      { name: 'My tickets', url: '/tickets' },
      { name: 'Find an event', url: '/events' },
    ],
  };
}
