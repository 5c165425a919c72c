/** BENCH_PROFILE=dir: node arguments that make a benchmarked app write a V8 CPU profile to that directory when it stops. */
export const profileArgs = (): string[] =>
  process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
