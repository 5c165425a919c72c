/**
 * AsyncLocalStorage as one frame per async resource, for Node 20.
 *
 * Node 20 gives every enabled AsyncLocalStorage its own property on every async resource: each promise, timer or
 * socket callback created copies one value per instance, in a loop over the instances. Next.js enables about twenty
 * of them in a server process, so every `await` anywhere in a request paid twenty copies (about 4 µs instead of
 * 0.15 with one instance), which measured as most of the difference between a hold served by the app and the same
 * hold on a plain node:http server. Node 24 fixed this with AsyncContextFrame (one immutable frame per resource,
 * shared by all instances); this module does the same on Node 20 by replacing AsyncLocalStorage's methods:
 *
 * - a frame is a frozen-by-convention array of stores indexed by an instance's number, kept under one symbol on the
 *   async resource; a new resource takes its creator's frame by reference (one property copy, however many
 *   instances there are);
 * - `run` and `enterWith` copy the frame with their own slot changed (copy on write), so frames already handed to
 *   other resources never change;
 * - `run` gives back on return what it changed: the whole previous frame when nothing else touched the resource's
 *   frame inside, or only its own slot when another instance entered a store there meanwhile (Node 20 keeps such
 *   an `enterWith` after the run; so does this);
 * - `exit` is `run(undefined, …)`, and `disable` empties the instance's slot where it is called, as in Node 24.
 *
 * Installed once, before any AsyncLocalStorage is used (scripts/server.ts does it first thing); stores entered
 * before would be invisible. `ASYNC_CONTEXT=node` in the environment leaves Node's own implementation in place.
 * On a Node that keeps frames itself (24, or 22 with --experimental-async-context-frame) it does nothing.
 */
import { AsyncLocalStorage, createHook, executionAsyncResource } from 'node:async_hooks';

type Frame = unknown[];
type Resource = { [FRAME]?: Frame };
type Instance = AsyncLocalStorage<unknown> & { [SLOT]?: number; enabled?: boolean };

const FRAME = Symbol('admitone.asyncContextFrame');
const SLOT = Symbol('admitone.asyncContextSlot');
const INSTALLED = Symbol.for('admitone.asyncContextFrames');

let slots = 0;
let hookEnabled = false;

function slotOf(instance: Instance): number {
  let slot = instance[SLOT];
  if (slot === undefined) {
    slot = slots++;
    Object.defineProperty(instance, SLOT, { value: slot });
  }
  return slot;
}

function current(): Resource {
  return executionAsyncResource() as Resource;
}

function withSlot(frame: Frame | undefined, slot: number, store: unknown): Frame {
  const next = frame ? frame.slice() : [];
  next[slot] = store;
  return next;
}

/** `frame` with `slot` as it was in `previous`: another instance entered a store here meanwhile, which stays. */
function restoreSlot(frame: Frame | undefined, slot: number, previous: Frame | undefined): Frame | undefined {
  if (previous !== undefined && slot in previous) return withSlot(frame, slot, previous[slot]);
  if (frame === undefined || !(slot in frame)) return frame;
  const next = frame.slice();
  delete next[slot];
  return next;
}

const hook = createHook({
  init(_asyncId, _type, _triggerAsyncId, resource: Resource) {
    const frame = current()[FRAME];
    if (frame !== undefined) resource[FRAME] = frame;
  },
});

function enable(instance: Instance): number {
  if (!hookEnabled) {
    hook.enable();
    hookEnabled = true;
  }
  instance.enabled = true;
  return slotOf(instance);
}

const methods = {
  getStore(this: Instance): unknown {
    if (!this.enabled) return undefined;
    const frame = current()[FRAME];
    return frame === undefined ? undefined : frame[slotOf(this)];
  },

  enterWith(this: Instance, store: unknown): void {
    const slot = enable(this);
    const resource = current();
    resource[FRAME] = withSlot(resource[FRAME], slot, store);
  },

  run<R>(this: Instance, store: unknown, callback: (...args: unknown[]) => R, ...args: unknown[]): R {
    const slot = enable(this);
    const resource = current();
    const previous = resource[FRAME];
    if (Object.is(previous?.[slot], store)) return callback(...args);
    const entered = withSlot(previous, slot, store);
    resource[FRAME] = entered;
    try {
      return callback(...args);
    } finally {
      const now = resource[FRAME];
      resource[FRAME] = now === entered ? previous : restoreSlot(now, slot, previous);
    }
  },

  exit<R>(this: Instance, callback: (...args: unknown[]) => R, ...args: unknown[]): R {
    if (!this.enabled) return callback(...args);
    return methods.run.call(this, undefined, callback, ...args) as R;
  },

  disable(this: Instance): void {
    if (!this.enabled) return;
    this.enabled = false;
    const resource = current();
    resource[FRAME] = restoreSlot(resource[FRAME], slotOf(this), undefined);
  },

  _enable(this: Instance): void {
    enable(this);
  },
};

/**
 * Whether this Node still copies one property per instance (Node 20's implementation, whose instances propagate
 * through `_propagate`); Node 24's AsyncContextFrame, or 22's behind --experimental-async-context-frame, has none.
 */
function nodeCopiesPerInstance(): boolean {
  return typeof (AsyncLocalStorage.prototype as unknown as { _propagate?: unknown })._propagate === 'function';
}

/**
 * Replaces AsyncLocalStorage's methods with frame-based ones (see the module comment). Returns whether it did.
 * Call before anything creates or uses an AsyncLocalStorage.
 */
export function installAsyncContextFrames(options: { mode?: string } = {}): boolean {
  const globals = globalThis as { [INSTALLED]?: boolean };
  if (globals[INSTALLED]) return true;
  if (options.mode === 'node' || !nodeCopiesPerInstance()) return false;
  const proto = AsyncLocalStorage.prototype as unknown as Record<string, unknown>;
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
  globals[INSTALLED] = true;
  return true;
}
