/**
 * Whether the demo data is still being added: `npm start` seeds a first start's catalogue in the background, after
 * the server answers (scripts/server.ts), and pages say so instead of looking empty. Kept on globalThis because the
 * server script and Next's page bundles are separate module instances in one process. Nothing here touches the
 * database, so any page may import it.
 */
export type DemoSeedStatus = { state: 'loading' | 'done' | 'failed'; events: number; total: number };

const holder = globalThis as { __admitoneDemoSeed?: DemoSeedStatus };

/** The background seed's progress in this process; undefined when this process seeds nothing. */
export function demoSeedStatus(): DemoSeedStatus | undefined {
  return holder.__admitoneDemoSeed;
}

export function setDemoSeedStatus(status: DemoSeedStatus | undefined): void {
  holder.__admitoneDemoSeed = status;
}

/** True while the demo catalogue is still arriving. */
export const demoDataLoading = (): boolean => demoSeedStatus()?.state === 'loading';
