import { admissionCookie } from '@/lib/queue/admission';
import { visitorId } from '@/lib/queue/visitor-id';
import { cookiePair, withCookies } from './browsers';

/**
 * The cookie header of a buyer who came through the waiting room of an event: the session cookies plus an admission
 * token bound to them, as the queue would have set it (for tests of what lies behind the gate).
 */
export async function admittedCookie(
  cookie: string,
  eventId: string,
  accountId: string,
  minutes = 15,
): Promise<string> {
  const set = await admissionCookie({
    eventId,
    accountId,
    visitor: visitorId(eventId, accountId),
    untilMs: Date.now() + minutes * 60_000,
    cookieHeader: cookie,
    nowMs: Date.now(),
  });
  if (!set) throw new Error('no admission cookie: is the session cookie in the header?');
  const [name, value] = cookiePair(set);
  return withCookies(cookie, { [name]: value });
}
