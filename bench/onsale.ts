/**
 * `npm run bench:onsale`: an on-sale of a 50,000-seat event where 20,000 simulated buyers arrive within 10 s, queue,
 * are admitted, hold 1-4 seats and pay (80%) or abandon (20%), against the built app (`next start`) on a PostgreSQL
 * cluster and a redis-server of its own (spare ports, removed afterwards). Every latency is printed absolute and as
 * a ratio to the no-op route of the same app measured in the same run; the database is audited at the end and a
 * failed audit exits non-zero. Scale down with ONSALE_BUYERS / ONSALE_SEATS / ONSALE_ARRIVAL_SECONDS (docs/bench.md).
 */
import { cpus, loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { rows } from '@/db/sql';
import { writeResults } from './lib/app-bench';
import { HttpClient } from './lib/http-client';
import { auditCriterion, baseline, fmt, onHarness, startHarness, verdict } from './lib/harness';
import { auditSale, onSaleConfig, prepareOnSale, runOnSale, warmSessions } from './lib/onsale';

async function main() {
  const config = onSaleConfig();
  console.log(
    `On-sale: ${config.buyers.toLocaleString('en-US')} buyers arriving within ${config.arrivalMs / 1000} s for ${config.seats.toLocaleString('en-US')} seats; ${config.payRatio * 100}% pay; waiting room lets ${config.queueCapacity} shop at once, admits ${config.admissionRatePerMinute}/min.`,
  );
  console.log('Starting our own PostgreSQL and Redis, migrating, building the app if needed…');
  const h = await startHarness('onsale');
  return onHarness(h, async () => {
    const prepared = await prepareOnSale(h.handle.db, config);
    await h.app.start();
    console.log(`App on ${h.app.url}. Every buyer opens a page first (session cache cookie)…`);
    const warmSeconds = await warmSessions(h.app.url, prepared);
    console.log(`  ${prepared.buyers.length} sessions in ${fmt(warmSeconds, 1)} s. Measuring the no-op baseline…`);
    const base = await baseline(h.app.url);
    console.log(
      `Baseline: ${fmt(base.rps, 0)} req/s, p50 ${fmt(base.latency.p50, 2)} ms, p99 ${fmt(base.latency.p99, 2)} ms. Selling…`,
    );
    const client = new HttpClient(h.app.url, undefined, { maxSockets: config.maxSockets });
    let lastLog = 0;
    const record = await runOnSale(client, prepared, config, {
      tick: (elapsed, r) => {
        if (elapsed - lastLog < 10_000) return;
        lastLog = elapsed;
        const sold = r.orders.reduce((n, o) => n + o.seats, 0);
        console.log(
          `  ${fmt(elapsed / 1000, 0)} s: ${r.holds.length} holds, ${r.orders.length} orders, ${sold} tickets, ${r.buyersDone} buyers done`,
        );
      },
    });
    client.close();
    const audit = await auditSale(h.handle.db, [prepared.eventId]);
    const stats = client.stats;
    const tickets = record.orders.reduce((n, o) => n + o.seats, 0);
    const goodput = tickets / record.seconds;

    const kinds: [string, string][] = [
      ['queue.join', 'queue join'],
      ['queue.poll', 'queue poll'],
      ['hold', 'hold'],
      ['checkout', 'checkout'],
      ['release', 'release (abandon)'],
      ['queue.leave', 'leave line (abandon)'],
    ];
    const line = (label: string, n: number, p50: number, p99: number, statuses: Record<string, number>) =>
      `${label.padEnd(22)} ${String(n).padStart(7)} ${fmt(p50, 1).padStart(9)} ${fmt(p50 / base.latency.p50, 1).padStart(8)} ${fmt(p99, 1).padStart(9)} ${fmt(p99 / base.latency.p99, 1).padStart(8)}  ${Object.entries(
        statuses,
      )
        .map(([s, c]) => `${s}:${c}`)
        .join(' ')}`;
    const total = Object.values(stats.allStatuses()).reduce((a, b) => a + b, 0);
    const byStatus = Object.entries(stats.allStatuses()).sort(([a], [b]) => a.localeCompare(b));
    console.log(
      `\n${'request'.padEnd(22)} ${'count'.padStart(7)} ${'p50 ms'.padStart(9)} ${'x base'.padStart(8)} ${'p99 ms'.padStart(9)} ${'x base'.padStart(8)}  statuses`,
    );
    console.log(line('no-op (baseline)', base.requests, base.latency.p50, base.latency.p99, base.statuses));
    for (const [kind, label] of kinds) {
      const s = stats.summary(kind);
      if (s.n || Object.keys(s.statuses).length) console.log(line(label, s.n, s.p50, s.p99, s.statuses));
    }
    console.log('served answers only (2xx; the rows above include the quick 503s of load shedding):');
    for (const [kind, label] of kinds) {
      const s = record.served.summary(kind);
      if (s.n) console.log(line(`  ${label}`, s.n, s.p50, s.p99, s.statuses));
    }
    console.log(`
sale: ${fmt(record.seconds, 1)} s from the first arrival to the last payment; ${record.buyersDone} buyers finished, cut off ${record.cutOff}, gave up ${JSON.stringify(record.gaveUp)}
goodput: ${tickets.toLocaleString('en-US')} tickets in ${record.orders.length.toLocaleString('en-US')} orders = ${fmt(goodput, 1)} tickets/s (${fmt(goodput / base.rps, 3)} x the baseline's ${fmt(base.rps, 0)} req/s)
holds granted: ${record.holds.length}, released by abandoners: ${record.released}
answers by status (all ${total} requests): ${byStatus.map(([s, c]) => `${s} ${fmt((100 * c) / total, 2)}%`).join(', ')}
database: ${JSON.stringify(audit.counts)}
machine: ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}
`);
    const paidIds = new Set(
      (
        await rows<{ id: string }>(
          h.handle.db,
          sql`select id from orders where event_id = ${prepared.eventId} and status = 'paid'`,
        )
      ).map((o) => o.id),
    );
    const missing = record.orders.filter((o) => !paidIds.has(o.orderId));
    const errors5xx = byStatus.filter(([s]) => s.startsWith('5') && s !== '503').reduce((n, [, c]) => n + c, 0);
    const ok = verdict([
      auditCriterion(
        audit,
        'invariant audit (available + held + sold = capacity, no seat sold twice, paid orders have tickets or a refund)',
      ),
      [
        'every order the client saw paid is paid in the database',
        missing.length === 0,
        `${record.orders.length - missing.length} of ${record.orders.length} (${audit.counts.paid_orders} paid in the database)`,
      ],
      ['no 500s', errors5xx === 0, `${errors5xx}`],
    ]);
    const { timeline: _, served, ...kept } = record;
    writeResults('onsale', {
      config,
      baseline: base,
      summary: Object.fromEntries(kinds.map(([k]) => [k, stats.summary(k)])),
      served: Object.fromEntries(kinds.map(([k]) => [k, served.summary(k)])),
      record: { ...kept, holds: kept.holds.length, orders: kept.orders.length },
      tickets,
      goodput,
      audit,
    });
    // Only the audit decides the exit code (figures vary with the machine).
    if (audit.violations.length) process.exitCode = 1;
    if (!ok && !audit.violations.length) console.log('(exit code follows the audit only)');
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
