import { joinWaitlistSchema } from '@/lib/contracts/waitlist';
import { ok, type ApiOperation } from '../operation';
import { waitlistStatus } from '../schemas/contracts';

const status = ok('The buyer’s place, and the seats held for them when an offer is open', waitlistStatus);

export const WAITLIST: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/events/{id}/waitlist',
    id: 'waitlist.status',
    tag: 'Waitlist',
    summary: 'The buyer’s place on the waitlist and their offer',
    access: 'viewer',
    responses: status,
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/events/{id}/waitlist',
    id: 'waitlist.join',
    tag: 'Waitlist',
    summary: 'Join the waitlist of a sold-out event or tier',
    description:
      'Only while no seat of the tier asked for (or of any tier within the price) is free: 409 `INVALID_STATE` with `reason: not-sold-out` otherwise. Joining again keeps the first place.',
    access: 'viewer',
    body: joinWaitlistSchema,
    responses: status,
    errors: ['NOT_FOUND', 'EVENT_NOT_ON_SALE', 'INVALID_STATE', 'SEAT_LIMIT_EXCEEDED', 'RATE_LIMITED'],
  },
  {
    method: 'delete',
    path: '/api/events/{id}/waitlist',
    id: 'waitlist.leave',
    tag: 'Waitlist',
    summary: 'Leave the waitlist, or decline the offer',
    description: 'An open offer is declined: its seats are released and go to the next match.',
    access: 'viewer',
    responses: status,
    errors: ['NOT_FOUND', 'INVALID_STATE', 'RATE_LIMITED'],
  },
];
