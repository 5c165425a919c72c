/** Next.js calls register() once when a server process starts. Background jobs run only in the Node runtime. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startBackgroundJobs } = await import('./lib/jobs');
    startBackgroundJobs();
  }
}
