import type { AdmissionResult } from '@/lib/contracts/tickets';

/** What the full-screen verdict shows. */
export type Verdict = {
  ok: boolean;
  title: string;
  detail: string;
  seat?: string;
  /** How the answer came: the server's atomic admission, or the phone's own check while offline. */
  mode: 'online' | 'offline';
  ms: number;
};

export const REFUSAL_TITLE: Record<string, string> = {
  already_admitted: 'Already admitted',
  malformed: 'Not a ticket',
  bad_signature: 'Forged or damaged code',
  wrong_event: 'Wrong event',
  expired: 'Expired live code',
  stale: 'Old live code',
  revoked: 'Cancelled or transferred',
  device_replaced: 'Code from an old phone',
};

export const REFUSAL_DETAIL: Record<string, string> = {
  malformed: 'Not an AdmitOne ticket code.',
  bad_signature: 'Forged or damaged code: not signed by this event.',
  wrong_event: 'This ticket is for another event or day.',
  expired: 'This live code has expired.',
  stale: 'Old live code (a screenshot?): ask for the live code on the phone.',
  revoked: 'This ticket was cancelled or transferred: ask for the current ticket.',
  device_replaced: 'This live code comes from a phone the ticket was moved away from.',
};

export function verdictOf(result: AdmissionResult, ms: number): Verdict {
  if (result.admitted)
    return { ok: true, title: 'Admitted', detail: result.gate, seat: result.seat, mode: 'online', ms };
  return {
    ok: false,
    title: REFUSAL_TITLE[result.reason] ?? 'Refused',
    detail: result.message,
    mode: 'online',
    ms,
  };
}
