import { processSingleton } from '@/lib/process-singletons';
/**
 * Whether the demo data is still being added: `npm start` seeds a first start's catalogue in the background, after
 * the server answers (scripts/server.ts), and pages say so instead of looking empty. One per process
 * (lib/process-singletons.ts) because the server script and Next's page bundles are separate module instances. Nothing here touches the
 * database, so any page may import it.
 */
export type DemoSeedStatus = { state: 'loading' | 'done' | 'failed'; events: number; total: number };

const slot = processSingleton<{ current?: DemoSeedStatus }>('demoSeed', () => ({}));

/** The background seed's progress in this process; undefined when this process seeds nothing. */
export function demoSeedStatus(): DemoSeedStatus | undefined {
  return slot.current;
}

export function setDemoSeedStatus(status: DemoSeedStatus | undefined): void {
  slot.current = status;
}

/** True while the demo catalogue is still arriving. */
export const demoDataLoading = (): boolean => demoSeedStatus()?.state === 'loading';
