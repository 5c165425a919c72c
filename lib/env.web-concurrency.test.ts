import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv, webConcurrency } from './env';

const postgres = { DATABASE_URL: 'postgres://app@db.internal:5432/admitone' };
const redis = { REDIS_URL: 'redis://redis.internal:6379' };

describe('WEB_CONCURRENCY', () => {
  it('defaults to one per core with PostgreSQL and Redis, and to one otherwise', () => {
    expect(webConcurrency(parseEnv({ ...postgres, ...redis }), 8)).toBe(8);
    expect(
      webConcurrency(
        parseEnv({ ...postgres, UPSTASH_REDIS_REST_URL: 'https://x.example', UPSTASH_REDIS_REST_TOKEN: 't' }),
        4,
      ),
    ).toBe(4);
    expect(webConcurrency(parseEnv({ ...postgres }), 8)).toBe(1);
    expect(webConcurrency(parseEnv({}), 8)).toBe(1);
  });

  it('takes an explicit count', () => {
    expect(webConcurrency(parseEnv({ ...postgres, ...redis, WEB_CONCURRENCY: '3' }), 8)).toBe(3);
    expect(webConcurrency(parseEnv({ WEB_CONCURRENCY: '1' }), 8)).toBe(1);
  });

  it('refuses more than one process with PGlite or the in-process coordinator, saying why', () => {
    const problems = (source: Record<string, string>) => {
      try {
        parseEnv(source);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ WEB_CONCURRENCY: '2' })).toEqual([
      expect.stringMatching(/^WEB_CONCURRENCY: .*PGlite database allows one process per data directory/),
    ]);
    expect(problems({ ...postgres, WEB_CONCURRENCY: '2' })).toEqual([
      expect.stringMatching(/^WEB_CONCURRENCY: more than one process needs a shared coordinator \(REDIS_URL/),
    ]);
    expect(problems({ ...postgres, ...redis, WEB_CONCURRENCY: '0' })).toEqual([
      expect.stringMatching(/^WEB_CONCURRENCY: /),
    ]);
  });
});
