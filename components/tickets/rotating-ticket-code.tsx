'use client';

import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { ROTATION_SECONDS, rotationWindow, signRotatingCode } from '@/lib/tickets/ticket-code';
import { getCertificate, getDeviceKey } from './device-key';

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; svg: string; code: string; secondsLeft: number }
  | { kind: 'unavailable'; reason: string };

/**
 * The live code: re-signed on this phone every 30 seconds with its own device key, certified by the event's key.
 * A screenshot stops working within a minute; it works offline once the certificate was fetched.
 */
export function RotatingTicketCode({ ticketId, seat }: { ticketId: string; seat: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    (async () => {
      let device: Awaited<ReturnType<typeof getDeviceKey>>;
      let certificate: string;
      try {
        device = await getDeviceKey();
      } catch {
        setState({
          kind: 'unavailable',
          reason: 'This browser cannot make the live code. Show the printed-ticket code below instead.',
        });
        return;
      }
      try {
        certificate = await getCertificate(ticketId, device);
      } catch (error) {
        setState({
          kind: 'unavailable',
          reason:
            (error as Error).message === 'void'
              ? 'This ticket is no longer valid.'
              : 'Connect to the internet once to switch on the live code. The printed-ticket code below works without it.',
        });
        return;
      }
      let shown = -1;
      const tick = async () => {
        const now = new Date();
        const current = rotationWindow(now);
        const secondsLeft = ROTATION_SECONDS - (Math.floor(now.getTime() / 1000) % ROTATION_SECONDS);
        if (current !== shown) {
          shown = current;
          const code = await signRotatingCode(device.privateKey, certificate, now);
          // Low error correction keeps the modules large: a screen is not a crumpled print-out.
          const svg = await QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'L', margin: 1 });
          if (!stopped) setState({ kind: 'ready', svg, code, secondsLeft });
        } else if (!stopped) {
          setState((s) => (s.kind === 'ready' ? { ...s, secondsLeft } : s));
        }
      };
      await tick();
      timer = setInterval(() => void tick(), 1000);
    })();
    return () => {
      stopped = true;
      if (timer) clearInterval(timer);
    };
  }, [ticketId]);

  if (state.kind === 'unavailable')
    return <p className="rounded-lg bg-slate-100 p-4 text-sm text-slate-700">{state.reason}</p>;
  return (
    <figure className="flex flex-col items-center" data-code={state.kind === 'ready' ? state.code : undefined}>
      <div
        role="img"
        aria-label={`Live QR code for seat ${seat}, changes every ${ROTATION_SECONDS} seconds`}
        className="aspect-square w-full max-w-72 rounded-lg bg-white p-2 ring-1 ring-slate-200 [&>svg]:h-full [&>svg]:w-full"
        dangerouslySetInnerHTML={state.kind === 'ready' ? { __html: state.svg } : undefined}
      />
      <figcaption className="mt-2 w-full max-w-72 text-center text-xs text-slate-600">
        {state.kind === 'ready' ? (
          <>
            <span aria-hidden className="mb-1 block h-1 overflow-hidden rounded bg-slate-100">
              <span
                className="block h-full bg-brand-600 transition-all"
                style={{ width: `${(state.secondsLeft / ROTATION_SECONDS) * 100}%` }}
              />
            </span>
            Live code, new in {state.secondsLeft} s. Screenshots do not work.
          </>
        ) : (
          'Preparing the live code…'
        )}
      </figcaption>
    </figure>
  );
}
