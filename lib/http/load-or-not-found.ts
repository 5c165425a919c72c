import 'server-only';
import { notFound } from 'next/navigation';
import { isAppError } from '@/lib/errors';

/**
 * For pages: what `load` finds, or Next's 404 page when the domain says NOT_FOUND (an unknown id, or one that is not
 * the viewer's: the API's 404 and the page's are the same answer). Any other error goes on to the error page.
 */
export async function loadOrNotFound<T>(load: Promise<T> | (() => Promise<T>)): Promise<T> {
  try {
    return await (typeof load === 'function' ? load() : load);
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
}
