/**
 * `npm run db:audit`: the inventory audit of the configured database (after a point-in-time recovery, or whenever in
 * doubt): every seat counted once, every held seat in one live hold, every sold seat with exactly one ticket. Exits
 * non-zero on a violation.
 */
import { parseEnv } from '../lib/env';
import { describeStartupError } from '../lib/startup-errors';
import { reportDatabase } from './database-report';

reportDatabase(parseEnv(process.env)).catch((error: unknown) => {
  console.error(`✖ ${describeStartupError(error)}`);
  process.exit(1);
});
