import type { ApiOperation } from '../operation';
import { ACCOUNTS } from './accounts';
import { ADMIN_EVENTS } from './admin-events';
import { ADMIN_ORDERS } from './admin-orders';
import { ADMIN_VENUES } from './admin-venues';
import { CATALOG } from './catalog';
import { CHECKIN } from './checkin';
import { CHECKOUT } from './checkout';
import { COUNTER } from './counter';
import { INVENTORY } from './inventory';
import { OPERATIONS_AND_WEBHOOKS } from './operations';
import { QUEUE } from './queue';
import { TICKETS } from './tickets';
import { WAITLIST } from './waitlist';

/** Every operation of the public API, one table per tag (tests/integration/openapi.test.ts checks it against app/api). */
export const OPERATIONS: readonly ApiOperation[] = [
  ...CATALOG,
  ...INVENTORY,
  ...QUEUE,
  ...WAITLIST,
  ...CHECKOUT,
  ...TICKETS,
  ...CHECKIN,
  ...ACCOUNTS,
  ...ADMIN_EVENTS,
  ...ADMIN_ORDERS,
  ...ADMIN_VENUES,
  ...COUNTER,
  ...OPERATIONS_AND_WEBHOOKS,
];
