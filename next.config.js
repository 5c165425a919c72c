// @ts-check

/**
 * Headers every response carries (the production server adds the same list to the hot routes it answers itself,
 * lib/http/node-server.ts). The Content-Security-Policy with a per-request nonce for scripts is set by middleware.ts
 * (Next needs the nonce at render time); these are the static ones.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- next.config.js is CommonJS
const securityHeaders = require('./lib/security/static-headers.json');

/**
 * Builds made for benchmarks (BENCH_BUILD=1, set by `ensureBuilt({ bench: true })` in tests/support/app-server.ts) also compile the files
 * named `*.bench.ts`: the benchmark's no-op route, app/api/bench/noop/route.bench.ts. The build `npm start` and a
 * deploy make does not contain them at all (scripts/build-state.ts tells the two kinds apart).
 */
const pageExtensions = ['tsx', 'ts', 'jsx', 'js', ...(process.env.BENCH_BUILD === '1' ? ['bench.ts'] : [])];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly and data files that must be loaded from node_modules at run time.
  serverExternalPackages: [
    '@electric-sql/pglite',
    'pino',
    'pino-pretty',
    'ioredis',
    'stripe',
    'drizzle-orm',
    'postgres',
    'qrcode',
    'prom-client',
  ],
  poweredByHeader: false,
  pageExtensions,
  // `npm test` type-checks the whole repository (tsc --noEmit); the build that `npm start` runs does not repeat it.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    // Turbopack's build cache is written after the build, for the next build of the same tree: 15 to 40 s on this
    // 2-core machine that a first start (and CI, and a deploy, which build from scratch) spend for nothing.
    turbopackFileSystemCacheForBuild: false,
  },
  reactStrictMode: true,
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // The door scanner reads QR codes with the camera: the one page allowed to ask for it (a later rule wins).
      {
        source: '/scan',
        headers: [
          {
            key: 'Permissions-Policy',
            value: 'camera=(self), microphone=(), geolocation=(), payment=(self "https://js.stripe.com")',
          },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
