import { Writable } from 'node:stream';
import { createLogger as createAuthLogger } from '@better-auth/core/env';
import { afterEach, describe, expect, it } from 'vitest';
import { authLogLine } from '@/lib/auth/auth.server';
import { createLogger, logFormat } from '@/lib/observability/log';
import { processSingleton } from '@/lib/process-singletons';

/** Issue 16, first run item 3: one log format for our lines and the auth library's, readable in a terminal. */
describe('log format', () => {
  const logger = processSingleton<{ current?: unknown }>('log', () => ({}));
  afterEach(() => {
    logger.current = undefined;
  });

  it('is JSON for a pipe or a file, pretty in a terminal, and LOG_FORMAT overrides both', () => {
    expect(logFormat({ LOG_FORMAT: undefined }, false)).toBe('json');
    expect(logFormat({ LOG_FORMAT: undefined }, true)).toBe('pretty');
    expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  });

  it("writes better-auth's lines through our logger as JSON, with their arguments redacted", () => {
    const lines: string[] = [];
    logger.current = createLogger(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
      'info',
    );
    // better-auth's own logger factory, with the option auth.server.ts passes: what its sign-in route calls.
    const authLogger = createAuthLogger({ level: 'warn', log: authLogLine });
    authLogger.warn('Invalid password');
    authLogger.error('Failed to create session', { email: 'buyer@example.test', password: 'hunter2-password' });
    authLogger.info('not published below warn');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({ level: 40, component: 'auth', msg: 'Invalid password' });
    expect(second).toMatchObject({
      level: 50,
      component: 'auth',
      msg: 'Failed to create session',
      details: { password: '[redacted]' },
    });
    expect(lines.join('')).not.toContain('hunter2-password');
  });
});
