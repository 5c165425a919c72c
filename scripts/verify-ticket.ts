/**
 * Verifies a ticket code offline, the way a door scanner does: with nothing but the event's public key (and, if the
 * scanner synced one, the list of revoked ticket ids). No database, no network.
 *
 *   npx tsx scripts/verify-ticket.ts --public-key <base64url> [--event <eventId>] [--revoked <file>] [--now <ISO time>] <code>
 *   npx tsx scripts/verify-ticket.ts --bundle scanner.json <code>      (the JSON of GET /api/tickets/scanner)
 *
 * The code may also come on standard input. Exit status 0 when the ticket may enter, 1 when not, 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { verifyTicketCode } from '../lib/tickets/ticket-code';

function usage(message: string): never {
  console.error(
    `${message}\nUsage: verify-ticket --public-key <key> [--event <id>] [--revoked <file>] [--now <ISO>] <code>\n       verify-ticket --bundle <scanner.json> <code>`,
  );
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  const options = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      const value = args[++i];
      if (value === undefined) usage(`${arg} needs a value`);
      options.set(arg.slice(2), value);
    } else rest.push(arg);
  }

  let publicKey = options.get('public-key');
  let eventId = options.get('event');
  const revoked = new Set<string>();
  const bundlePath = options.get('bundle');
  if (bundlePath) {
    const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as {
      publicKey?: string;
      eventId?: string;
      revokedTicketIds?: string[];
    };
    publicKey ??= bundle.publicKey;
    eventId ??= bundle.eventId;
    for (const id of bundle.revokedTicketIds ?? []) revoked.add(id);
  }
  const revokedPath = options.get('revoked');
  if (revokedPath) {
    for (const line of readFileSync(revokedPath, 'utf8').split(/\s+/)) if (line) revoked.add(line);
  }
  if (!publicKey) usage('The event public key is required (--public-key or --bundle).');
  const now = options.get('now') ? new Date(options.get('now')!) : new Date();
  if (Number.isNaN(now.getTime())) usage('--now must be an ISO 8601 time');

  const code = (rest[0] ?? readFileSync(0, 'utf8')).trim();
  if (!code) usage('No code given.');

  const result = await verifyTicketCode(code, { publicKey, eventId, now, isRevoked: (id) => revoked.has(id) });
  if (result.ok) {
    console.log(`VALID ${result.kind} code: ticket ${result.ticketId}, seat ${result.seat}, event ${result.eventId}`);
    process.exit(0);
  }
  console.log(`INVALID (${result.reason})${result.ticketId ? `: ticket ${result.ticketId}` : ''}`);
  process.exit(1);
}

void main();
