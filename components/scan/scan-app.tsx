'use client';

import dynamic from 'next/dynamic';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useSavedForOffline } from './use-saved-for-offline';
import { useScanner } from './use-scanner';
import type { Verdict } from './verdict';

const CameraReader = dynamic(() => import('./camera-reader'), {
  ssr: false,
  loading: () => <p className="p-4 text-center text-slate-200">Starting the camera…</p>,
});

/** How long a green verdict stays before the next scan; a red one stays until the door staff dismiss it. */
const GREEN_MS = 1_500;

/**
 * /scan: a phone-first door scanner. Camera or typed code; a full-screen green or red verdict; keeps working offline
 * with the signed list and syncs its admissions when the network is back.
 */
export function ScanApp() {
  const scanner = useScanner();
  const saved = useSavedForOffline(scanner.setup.state === 'ready' && !scanner.setup.cached);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [camera, setCamera] = useState(false);
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const dismissButton = useRef<HTMLButtonElement>(null);

  const check = useCallback(
    async (code: string) => {
      if (busy || !code.trim()) return;
      setBusy(true);
      try {
        setVerdict(await scanner.scan(code));
      } finally {
        setBusy(false);
      }
    },
    [busy, scanner],
  );

  const dismiss = useCallback(() => {
    setVerdict(null);
    if (codeInput.current) {
      codeInput.current.value = '';
      codeInput.current.focus();
    }
  }, []);

  useEffect(() => {
    if (!verdict) return;
    dismissButton.current?.focus();
    if (!verdict.ok) return;
    const timer = setTimeout(dismiss, GREEN_MS);
    return () => clearTimeout(timer);
  }, [verdict, dismiss]);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    void check(new FormData(e.currentTarget).get('code')?.toString() ?? '');
  };

  if (scanner.setup.state === 'loading') return <p className="p-6 text-center text-slate-700">Loading the scanner…</p>;
  if (scanner.setup.state === 'unpaired') return <Unpaired reason={scanner.setup.reason} />;

  const { session, cached } = scanner.setup;
  const event = session.events.find((e) => e.id === scanner.place?.eventId);
  const gate = event?.gates.find((g) => g.id === scanner.place?.gateId);

  return (
    <div className="mx-auto max-w-md px-4 py-4">
      <header className="flex items-start justify-between gap-3">
        <div>
          <h1 className="text-xl font-bold">Door scanner</h1>
          <p className="text-sm text-slate-700">
            {session.kind === 'device' ? `Paired phone “${session.label}”` : `Signed in as ${session.label}`}
          </p>
        </div>
        <p
          className={`rounded-full px-3 py-1 text-sm font-semibold ${scanner.online ? 'bg-emerald-100 text-emerald-900' : 'bg-amber-100 text-amber-900'}`}
          role="status"
        >
          {scanner.online ? 'Online' : 'Offline'}
        </p>
      </header>

      {session.events.length === 0 ? (
        <p className="mt-6 rounded-lg bg-amber-50 p-4 text-amber-900 ring-1 ring-amber-200">
          No event to scan for: the organizer adds gates on the event’s Check-in page.
        </p>
      ) : session.kind === 'staff' ? (
        <PlacePicker events={session.events} value={scanner.place} onChange={scanner.choose} />
      ) : null}

      {event && gate ? (
        <>
          <p className="mt-4 rounded-lg bg-slate-100 px-3 py-2 text-sm">
            <span className="font-semibold">{event.name}</span> · {gate.name}
          </p>
          <div className="mt-4">
            {camera ? (
              <CameraReader onCode={(code) => void check(code)} paused={Boolean(verdict) || busy} />
            ) : (
              <button
                type="button"
                onClick={() => setCamera(true)}
                className="flex aspect-video w-full items-center justify-center rounded-xl bg-slate-900 text-lg font-semibold text-white"
              >
                Start the camera
              </button>
            )}
          </div>
          <form onSubmit={onSubmit} className="mt-4" aria-label="Type a ticket code">
            <label htmlFor="ticket-code" className="block text-sm font-medium">
              Ticket code
            </label>
            <div className="mt-1 flex gap-2">
              <input
                ref={codeInput}
                id="ticket-code"
                name="code"
                autoComplete="off"
                autoCapitalize="off"
                spellCheck={false}
                placeholder="AO1.…"
                className="min-h-11 w-full rounded-md border border-slate-300 px-3 font-mono text-sm"
              />
              <button
                type="submit"
                disabled={busy}
                className="min-h-11 rounded-lg bg-brand-600 px-4 font-semibold text-white disabled:bg-slate-300"
              >
                Check
              </button>
            </div>
          </form>
          <dl className="mt-4 grid grid-cols-3 gap-2 text-center text-xs text-slate-700">
            <div className="rounded-lg bg-slate-50 p-2">
              <dt>Offline list</dt>
              <dd className="text-sm font-semibold text-slate-900">
                {scanner.list ? `${scanner.list.admitted.length} in · ${scanner.list.revoked.length} void` : 'none yet'}
              </dd>
            </div>
            <div className="rounded-lg bg-slate-50 p-2">
              <dt>To sync</dt>
              <dd className="text-sm font-semibold text-slate-900" data-testid="queued">
                {scanner.queued}
              </dd>
            </div>
            <div className="rounded-lg bg-slate-50 p-2">
              <dt>Flagged</dt>
              <dd className="text-sm font-semibold text-slate-900">{scanner.flagged}</dd>
            </div>
          </dl>
          {scanner.listError ? (
            <p className="mt-2 text-sm text-red-700" role="alert">
              {scanner.listError}
            </p>
          ) : null}
          {cached ? (
            <p className="mt-2 text-sm text-amber-900">Started offline from this phone’s stored settings.</p>
          ) : saved !== 'no' ? (
            <p className="mt-2 text-sm text-slate-700" data-testid="saved-for-offline">
              {saved === 'yes'
                ? '✓ Saved on this phone: the scanner opens again without a network.'
                : 'Saving the scanner on this phone…'}
            </p>
          ) : null}
        </>
      ) : null}

      {verdict ? <VerdictScreen verdict={verdict} onDismiss={dismiss} buttonRef={dismissButton} /> : null}
    </div>
  );
}

function PlacePicker({
  events,
  value,
  onChange,
}: {
  events: { id: string; name: string; startsAt: string; gates: { id: string; name: string }[] }[];
  value: { eventId: string; gateId: string } | null;
  onChange: (next: { eventId: string; gateId: string }) => void;
}) {
  const eventId = value?.eventId ?? '';
  const current = events.find((e) => e.id === eventId);
  return (
    <div className="mt-4 grid gap-3">
      <div>
        <label className="block text-sm font-medium" htmlFor="scan-event">
          Event
        </label>
        <select
          id="scan-event"
          value={eventId}
          onChange={(e) => {
            const next = events.find((x) => x.id === e.target.value);
            if (next?.gates[0]) onChange({ eventId: next.id, gateId: next.gates[0].id });
          }}
          className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 px-2"
        >
          <option value="" disabled>
            Choose the event
          </option>
          {events.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name} · {new Date(e.startsAt).toLocaleDateString()}
            </option>
          ))}
        </select>
      </div>
      {current ? (
        <div>
          <label className="block text-sm font-medium" htmlFor="scan-gate">
            Gate
          </label>
          <select
            id="scan-gate"
            value={value?.gateId ?? ''}
            onChange={(e) => onChange({ eventId, gateId: e.target.value })}
            className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 px-2"
          >
            {current.gates.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </div>
  );
}

function VerdictScreen({
  verdict,
  onDismiss,
  buttonRef,
}: {
  verdict: Verdict;
  onDismiss: () => void;
  buttonRef: React.RefObject<HTMLButtonElement | null>;
}) {
  return (
    <div
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="verdict-title"
      aria-describedby="verdict-detail"
      data-verdict={verdict.ok ? 'admitted' : 'refused'}
      className={`fixed inset-0 z-50 flex flex-col items-center justify-center p-6 text-center text-white ${verdict.ok ? 'bg-emerald-700' : 'bg-red-700'}`}
      onClick={onDismiss}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDismiss();
      }}
    >
      <p className="text-8xl" aria-hidden="true">
        {verdict.ok ? '✓' : '✕'}
      </p>
      <h2 id="verdict-title" className="mt-4 text-4xl font-extrabold">
        {verdict.title}
      </h2>
      {verdict.seat ? <p className="mt-3 text-2xl font-semibold">{verdict.seat}</p> : null}
      <p id="verdict-detail" className="mt-3 max-w-sm text-lg">
        {verdict.detail}
      </p>
      <p className="mt-6 text-sm opacity-80">
        {verdict.mode === 'offline' ? 'Checked offline' : 'Checked online'} · {verdict.ms} ms
      </p>
      <button
        ref={buttonRef}
        type="button"
        onClick={onDismiss}
        className="mt-8 min-h-12 rounded-lg bg-white px-8 text-lg font-bold text-slate-900"
      >
        Next ticket
      </button>
    </div>
  );
}

function Unpaired({ reason }: { reason: 'signed-out' | 'revoked' | 'forbidden' }) {
  const text = {
    'signed-out':
      'Open the pairing link the organizer shows you (scan its QR code with this phone), or sign in as door staff.',
    revoked: 'This phone’s pairing was revoked or has expired. Ask the organizer for a new pairing link.',
    forbidden: 'This account is not door staff. Ask the organizer to grant the door role, or pair this phone instead.',
  }[reason];
  return (
    <div className="mx-auto max-w-md px-4 py-10 text-center">
      <h1 className="text-2xl font-bold">Door scanner</h1>
      <p className="mt-3 text-slate-700">{text}</p>
      {reason !== 'revoked' ? (
        <a
          href="/sign-in?next=/scan"
          className="mt-6 inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-5 font-semibold text-white"
        >
          Sign in as door staff
        </a>
      ) : null}
    </div>
  );
}
