import 'server-only';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { getViewer, type StaffRole, type Viewer } from './viewer';

/** The viewer of the page being rendered (one session read per request, however many components ask). */
export const currentViewer = cache(async (): Promise<Viewer | null> => getViewer(await headers()));

/** Pages that need an account send visitors to sign in and back. */
export async function requireViewerPage(returnTo: string): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return viewer;
}

/** Admin pages: sign in first; a customer sees "not found", never the page. */
export async function requireAdminPage(returnTo: string): Promise<Viewer> {
  const viewer = await requireViewerPage(returnTo);
  if (viewer.role !== 'admin') notFound();
  return viewer;
}

/** Staff pages (door scanning, the counter): that staff role or an admin; anyone else sees "not found". */
export async function requireStaffPage(role: StaffRole, returnTo: string): Promise<Viewer> {
  const viewer = await requireViewerPage(returnTo);
  if (viewer.role !== role && viewer.role !== 'admin') notFound();
  return viewer;
}
