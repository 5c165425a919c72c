import 'server-only';
import { AppError } from '@/lib/errors';
import { getAuth } from './auth.server';

export type Role = 'customer' | 'admin';
/** The signed-in person as the rest of the code sees them. */
export type Viewer = { id: string; email: string; name: string; role: Role; sessionId: string };

/** Reads the session from request headers (the signed cookie cache first, the database when it is stale). */
export async function getViewer(headers: Headers): Promise<Viewer | null> {
  if (!headers.get('cookie')?.includes('session_token')) return null;
  const auth = await getAuth();
  const found = await auth.api.getSession({ headers });
  if (!found) return null;
  const role = (found.user as { role?: string }).role === 'admin' ? 'admin' : 'customer';
  return { id: found.user.id, email: found.user.email, name: found.user.name, role, sessionId: found.session.id };
}

/** For route handlers and actions: the viewer, or 401. */
export async function requireViewer(headers: Headers): Promise<Viewer> {
  const viewer = await getViewer(headers);
  if (!viewer) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  return viewer;
}

/** For admin route handlers and actions: the admin viewer, 401 when signed out, 403 for anyone else. */
export async function requireAdmin(headers: Headers): Promise<Viewer> {
  const viewer = await requireViewer(headers);
  if (viewer.role !== 'admin') throw new AppError('FORBIDDEN', 'This needs an organizer (admin) account.');
  return viewer;
}

export const canActFor = (viewer: Viewer, ownerId: string) => viewer.id === ownerId || viewer.role === 'admin';
