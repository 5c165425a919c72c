'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useTransition } from 'react';
import { Card } from '@/components/admin/card';
import { inputClass } from '@/components/admin/form-field';
import { Button } from '@/components/ui/button';
import { actionError, type ActionResult } from '@/lib/contracts/action-result';

export type Pairing = { link: string; qrSvg: string; expiresAt: string; label: string };

type DeviceView = {
  id: string;
  label: string;
  gateName: string;
  state: 'active' | 'revoked' | 'expired';
  lastSeenAt: string | null;
};

/**
 * Scanner phones: pair one to a gate (its link is shown once, as a QR code to open on the phone), revoke one. The
 * link cannot be shown again: only its hash is stored.
 */
export function DevicesPanel({
  gates,
  devices,
  pairDevice,
  revokeDevice,
}: {
  gates: { id: string; name: string }[];
  devices: DeviceView[];
  pairDevice: (previous: ActionResult<Pairing> | null, form: FormData) => Promise<ActionResult<Pairing>>;
  revokeDevice: (deviceId: string) => Promise<ActionResult<void>>;
}) {
  const router = useRouter();
  const [state, formAction, pending] = useActionState(pairDevice, null);
  const [revoking, startRevoking] = useTransition();
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const error = actionError(state);
  return (
    <Card title="Scanner phones">
      {gates.length === 0 ? (
        <p className="text-slate-700">Add a gate first: every phone scans at one gate.</p>
      ) : (
        <form
          action={formAction}
          className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
          aria-label="Pair a phone"
        >
          <label className="block text-sm font-medium" htmlFor="device-label">
            Phone name
            <input
              id="device-label"
              name="label"
              required
              maxLength={40}
              placeholder="Phone 1"
              className={inputClass(false)}
            />
          </label>
          <div>
            <label className="block text-sm font-medium" htmlFor="device-gate">
              Gate
            </label>
            <select id="device-gate" name="gateId" className={inputClass(false)}>
              {gates.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" disabled={pending}>
            Pair a phone
          </Button>
        </form>
      )}
      {error ? (
        <p className="mt-2 text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
      {state?.ok ? (
        <div className="mt-4 rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200" aria-live="polite">
          <p className="font-semibold">Open this on “{state.value.label}”: scan the code with its camera.</p>
          <div
            className="mx-auto mt-3 w-56 bg-white p-2"
            role="img"
            aria-label="Pairing link as a QR code"
            dangerouslySetInnerHTML={{ __html: state.value.qrSvg }}
          />
          <p className="mt-3 break-all text-xs text-slate-700">
            Or open <span className="font-mono">{state.value.link}</span>
          </p>
          <p className="mt-2 text-sm text-slate-700">
            Shown once. Valid until {new Date(state.value.expiresAt).toLocaleString()}; revoke it here if the phone is
            lost.
          </p>
        </div>
      ) : null}
      {devices.length > 0 ? (
        <ul className="mt-4 divide-y divide-slate-200 text-sm" aria-label="Paired phones">
          {devices.map((d) => (
            <li key={d.id} className="flex items-center justify-between gap-2 py-2">
              <span>
                <span className="font-medium">{d.label}</span> · {d.gateName} ·{' '}
                <span className={d.state === 'active' ? 'text-emerald-800' : 'text-slate-600'}>{d.state}</span>
                {d.lastSeenAt ? ` · last seen ${new Date(d.lastSeenAt).toLocaleTimeString()}` : ''}
              </span>
              {d.state === 'active' ? (
                <Button
                  variant="ghost"
                  disabled={revoking}
                  aria-label={`Revoke ${d.label}`}
                  onClick={() =>
                    startRevoking(async () => {
                      await revokeDevice(d.id);
                      router.refresh();
                    })
                  }
                >
                  Revoke
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
