import 'server-only';
import { admissionCookie } from './admission';
import { visitorId } from './visitor-id';

/**
 * The admission cookie that lets the owner of a running hold pay for it in this browser session, until the hold
 * ends: the account's own queue entry, bound to this session like any admission (docs/decisions/026-resume-a-hold.md).
 * The caller has checked that the account owns the hold and that it is running. Null without a session cookie.
 */
export function admitHoldOwner(input: {
  eventId: string;
  accountId: string;
  untilMs: number;
  cookieHeader: string | null;
  nowMs: number;
}): Promise<string | null> {
  return admissionCookie({ ...input, visitor: visitorId(input.eventId, input.accountId) });
}
