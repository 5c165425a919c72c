import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * lib/runtime/async-context-frames.ts replaces AsyncLocalStorage's methods for the whole process, so each
 * implementation runs the same scenarios in its own child process (nested and concurrent runs, timers, ticks,
 * promises, enterWith, exit, disable, bind and snapshot, event emitters, an HTTP round trip, 25 instances at once)
 * and the frames must behave exactly as Node's own.
 */
function scenarios(mode: 'node' | 'frames'): Record<string, unknown> {
  const script = resolve(__dirname, 'fixtures/async-context-scenarios.ts');
  const tsx = resolve(__dirname, '../../node_modules/.bin/tsx');
  return JSON.parse(execFileSync(tsx, [script, mode], { encoding: 'utf8', timeout: 30_000 })) as Record<string, unknown>;
}

describe('AsyncLocalStorage as one frame per async resource', () => {
  it('behaves as Node’s own AsyncLocalStorage in every scenario', () => {
    const native = scenarios('node');
    const frames = scenarios('frames');
    expect(native.installed).toBe(false);
    expect(frames.installed).toBe(true);
    const { installed: _n, ...nativeBehaviour } = native;
    const { installed: _f, ...framesBehaviour } = frames;
    expect(framesBehaviour).toEqual(nativeBehaviour);
    // And Node's behaviour is what the scenarios mean to check (so that a change in either shows here).
    expect(nativeBehaviour).toMatchObject({
      nested: [1, 2, 1],
      concurrent: [expect.arrayContaining(['one/one-b4']), expect.arrayContaining(['two/two-b4']), expect.arrayContaining(['three/three-b4'])],
      enterWithOtherInsideRun: ['-', 'B-entered', 'B2', 'B-entered'],
      exit: ['none', 'none', 'kept', 'kept'],
      bind: ['bound', 'snap', 'none'],
      http: ['none', 'client'],
      disable: ['none', 'none', 'again'],
    });
  });
});
