/**
 * Runs once per server process. Starts the waiting room's scheduler (lib/queue/scheduler.ts) in the Node.js runtime
 * only, and never during `next build` (which must not open a database).
 */
export async function register(): Promise<void> {
  // Both checks must stay inline: Next replaces process.env.NEXT_RUNTIME at build time, which keeps the Node-only
  // scheduler (database drivers, ioredis) out of the Edge bundle. lib/env.ts cannot do that for us.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startQueueScheduler } = await import('./lib/queue/scheduler');
  startQueueScheduler();
}
