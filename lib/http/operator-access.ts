import 'server-only';
import { timingSafeEqual } from 'node:crypto';
import { env } from '@/lib/env';
import { connectionContext } from './connection-context';

/**
 * Operational detail (metrics, the parts of health that name hosts and paths) is for operators only:
 * `Authorization: Bearer $METRICS_TOKEN` when that is set; otherwise a client connected from loopback, as the
 * production server saw the socket (lib/http/connection-context.ts; behind a proxy on the same machine, set
 * METRICS_TOKEN, or every visitor looks local). Without a connection context (a serverless host, tests calling
 * handlers) and without a token, nobody.
 */
export function isOperator(headers: Headers): boolean {
  const token = env().METRICS_TOKEN;
  if (token) {
    const expected = Buffer.from(`Bearer ${token}`);
    const given = Buffer.from(headers.get('authorization') ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  const address = connectionContext.getStore()?.clientAddress;
  return address !== undefined && isLoopback(address);
}

const isLoopback = (address: string): boolean => address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
