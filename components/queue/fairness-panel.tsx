import type { QueueStatus } from '@/lib/contracts/queue';
import { groupHex } from './format';

/** The pre-queue draw's public record: the commitment before the on-sale, the seed after it, and how to check. */
export function FairnessPanel({
  fairness,
  entryId,
  formatInstant,
  locale,
}: {
  fairness: QueueStatus['fairness'];
  entryId: string | null;
  formatInstant: (iso: string) => string;
  locale: string;
}) {
  return (
    <section aria-labelledby="fairness-title" className="rounded-xl bg-white p-5 ring-1 ring-slate-200">
      <h2 id="fairness-title" className="text-lg font-bold">
        A fair draw you can check
      </h2>
      {!fairness ? (
        <p className="mt-2 text-sm text-slate-700">
          This event had no pre-queue draw: everyone is served in the order they arrived.
        </p>
      ) : (
        <>
          {fairness.line === 'presale' ? (
            <p className="mt-2 text-sm text-slate-700">
              This is the presale&apos;s own line. Everyone in it who arrives before the presale opens gets a random
              place, drawn when it opens, apart from the general sale&apos;s draw. The draw&apos;s secret seed was fixed
              before this line opened; its fingerprint is published here, so the seed cannot be changed after seeing who
              entered.
            </p>
          ) : (
            <p className="mt-2 text-sm text-slate-700">
              Everyone who arrives before sales open gets a random place, drawn at the on-sale. The draw&apos;s secret
              seed was fixed before the pre-queue opened; its fingerprint is published here, so the seed cannot be
              changed after seeing who entered.
            </p>
          )}
          <dl className="mt-3 space-y-2 text-sm">
            <div>
              <dt className="text-slate-600">
                Seed fingerprint (SHA-256), published {formatInstant(fairness.committedAt)}
              </dt>
              <dd className="break-all font-mono text-xs text-slate-900" data-testid="commitment">
                {groupHex(fairness.commitment)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Seed</dt>
              {fairness.seed ? (
                <dd className="break-all font-mono text-xs text-slate-900" data-testid="seed">
                  {groupHex(fairness.seed)}
                </dd>
              ) : (
                <dd className="text-slate-700">
                  Revealed when the places are drawn, at the{' '}
                  {fairness.line === 'presale' ? 'presale’s start' : 'on-sale'}.
                </dd>
              )}
            </div>
            {fairness.drawnAt && (
              <div>
                <dt className="text-slate-600">Drawn</dt>
                <dd>
                  {formatInstant(fairness.drawnAt)}, {(fairness.entrantCount ?? 0).toLocaleString(locale)} entrants
                </dd>
              </div>
            )}
            {entryId && (
              <div>
                <dt className="text-slate-600">Your anonymous entry</dt>
                <dd className="font-mono text-xs">{entryId}</dd>
              </div>
            )}
          </dl>
          <details className="mt-3 text-sm">
            <summary className="cursor-pointer font-medium text-brand-700">How to check the draw yourself</summary>
            <ol className="mt-2 list-decimal space-y-1 pl-5 text-slate-700">
              <li>After the draw, download the record: seed and every anonymous entry in drawn order.</li>
              <li>Check that SHA-256 of the seed equals the fingerprint above.</li>
              <li>Sort the entries by HMAC-SHA256 of each entry keyed with the seed: you get the published order.</li>
            </ol>
            <p className="mt-2">
              <a className="font-medium text-brand-700 underline" href={fairness.drawUrl}>
                Draw record (JSON)
              </a>
            </p>
          </details>
        </>
      )}
    </section>
  );
}
