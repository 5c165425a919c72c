import type { Metadata, Viewport } from 'next';
import { ScanApp } from '@/components/scan/scan-app';

export const metadata: Metadata = { title: 'Door scanner', robots: { index: false } };
export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0f172a' };

/**
 * The door scanner. Everything happens in the browser: a paired phone has no session, only its device token, and the
 * page must keep working offline; the API decides who may scan (lib/checkin/resolve-scanner.ts).
 */
export default function ScanPage() {
  return <ScanApp />;
}
