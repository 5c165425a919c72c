import 'server-only';
import type { Database } from '@/db/client';
import { log } from '@/lib/observability/log';
import { availabilityDocument, currentVersion } from './availability';
import { getSaleRules } from './sale-rules';
import { processSingleton } from '@/lib/process-singletons';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;

type Subscriber = (version: number) => void;
type Watch = { subscribers: Set<Subscriber>; timer: ReturnType<typeof setInterval>; version: number };
const watches = processSingleton('availabilityWatches', () => new Map<string, Watch>());

/**
 * One watcher per event per process checks the version twice a second and wakes every stream of that event, so a
 * thousand open streams cost one query per half second. Changes made by other app instances arrive the same way.
 */
function watch(db: Database, eventId: string, subscriber: Subscriber): () => void {
  let w = watches.get(eventId);
  if (!w) {
    const created: Watch = {
      subscribers: new Set(),
      version: -1,
      timer: setInterval(() => {
        currentVersion(db, eventId)
          .then((version) => {
            if (version === created.version) return;
            created.version = version;
            for (const s of created.subscribers) s(version);
          })
          .catch((error: unknown) => log().warn({ err: error, eventId }, 'availability watch failed'));
      }, POLL_MS),
    };
    created.timer.unref?.();
    watches.set(eventId, created);
    w = created;
  }
  w.subscribers.add(subscriber);
  return () => {
    w.subscribers.delete(subscriber);
    if (w.subscribers.size === 0) {
      clearInterval(w.timer);
      watches.delete(eventId);
    }
  };
}

/**
 * Server-Sent Events of an event's availability: a snapshot first (unless the client resumes from a version), then
 * a delta whenever the version moves. The SSE id is the version, so EventSource resumes by itself after a drop.
 */
export async function availabilityStream(
  db: Database,
  input: { eventId: string; since?: number; signal: AbortSignal },
): Promise<ReadableStream<Uint8Array>> {
  await getSaleRules(db, input.eventId); // unknown event: NOT_FOUND before the stream opens
  const encoder = new TextEncoder();
  let last = input.since;
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let sending = Promise.resolve();
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const push = () => {
        sending = sending
          .then(async () => {
            if (closed) return;
            const doc = await availabilityDocument(db, input.eventId, { since: last });
            if (doc.kind === 'delta' && (doc.version === last || doc.json.includes('"changes":[]'))) return;
            last = doc.version;
            send(`id: ${doc.version}\nevent: ${doc.kind}\ndata: ${doc.json}\n\n`);
          })
          .catch((error: unknown) =>
            log().warn({ err: error, eventId: input.eventId }, 'availability stream push failed'),
          );
      };
      send(`retry: 3000\n\n`);
      push();
      const unwatch = watch(db, input.eventId, push);
      const heartbeat = setInterval(() => send(`: keep-alive\n\n`), HEARTBEAT_MS);
      stop = () => {
        if (closed) return;
        closed = true;
        unwatch();
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          // already closed by the runtime
        }
      };
      input.signal.addEventListener('abort', stop, { once: true });
    },
    cancel() {
      stop();
    },
  });
}
