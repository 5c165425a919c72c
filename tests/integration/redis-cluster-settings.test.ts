import { describe, expect, it } from 'vitest';
import { coordinatorMode, parseClusterNodes, parseEnv } from '@/lib/env';
import { withHashTag } from '@/lib/coordination/rate-limits/redis';

/** REDIS_CLUSTER_NODES: what it accepts, what it refuses, and the hash tag the rate-limit store adds. */
describe('REDIS_CLUSTER_NODES', () => {
  it('takes host:port entries and redis URLs, with credentials and TLS from the URLs', () => {
    expect(parseClusterNodes('10.0.0.1:7000, 10.0.0.2:7001,')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      tls: false,
    });
    expect(parseClusterNodes('rediss://app:s%40cret@redis-1.internal:6380,redis-2.internal')).toEqual({
      nodes: [
        { host: 'redis-1.internal', port: 6380 },
        { host: 'redis-2.internal', port: 6379 },
      ],
      username: 'app',
      password: 's@cret',
      tls: true,
    });
  });

  it('is the redis coordinator mode', () => {
    expect(coordinatorMode(parseEnv({ REDIS_CLUSTER_NODES: '127.0.0.1:7000' }))).toBe('redis');
  });

  it('refuses what is not a node list, a database other than 0, and a second Redis setting', () => {
    for (const [value, message] of [
      [' , ', 'at least one node'],
      ['http://x:1', 'redis://'],
      ['127.0.0.1:99999', '127.0.0.1:99999'],
      ['redis://127.0.0.1:7000/3', 'only database 0'],
    ]) {
      expect(() => parseEnv({ REDIS_CLUSTER_NODES: value })).toThrow(message);
    }
    expect(() => parseEnv({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      'not several',
    );
  });

  it('gives a rate-limit key a hash tag unless it has one', () => {
    expect(withHashTag('auth:ip:203.0.113.9')).toBe('{auth:ip:203.0.113.9}');
    expect(withHashTag('{rl:holds:acct:u1}')).toBe('{rl:holds:acct:u1}');
    expect(withHashTag('{ev:e1}:rl:holds:acct:u1')).toBe('{ev:e1}:rl:holds:acct:u1');
    // An empty tag does not count in Redis Cluster (the whole key is hashed), so it gets one of its own.
    expect(withHashTag('a{}b')).toBe('{a{}b}');
  });
});
