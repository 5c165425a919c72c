import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POST as transferRoute } from '@/app/api/tickets/[id]/transfer/route';
import { rows } from '@/db/sql';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { cancelTransfer } from '@/lib/tickets/cancel-transfer';
import { checkTicketCode } from '@/lib/tickets/check-ticket-code';
import { claimTransfer } from '@/lib/tickets/claim-transfer';
import { getTicketForViewer } from '@/lib/tickets/get-ticket-for-viewer';
import { listTransfersToViewer } from '@/lib/tickets/list-pending-transfers';
import { checkoutTestDeps, holdSeats } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { call, signUp } from '../support/http';
import { claimTokenSentTo } from '../support/transfers';

/**
 * Issue 16, item 10: a transfer is an offer. The ticket stays the sender's until someone signed in with the address
 * it was sent to claims it with the emailed link; then it is reissued with a new code. The sender can cancel until
 * then, and nobody learns from the answer whether an address has an account.
 */
describe('ticket transfers', () => {
  const { handle } = useTestDatabase({ reset: false });
  const { coordinator } = useTestCoordinator();
  const deps = () => checkoutTestDeps(handle(), coordinator(), new SimulatedGateway());

  async function ticketOf(owner: { id: string; email: string }) {
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 6 });
    const hold = await holdSeats(deps(), event.id, owner.id, 1);
    const paid = await payForHold(
      deps(),
      { ...owner, role: 'customer' },
      { holdId: hold.id, paymentMethodId: 'pm_card_visa' },
      crypto.randomUUID(),
    );
    return paid.ticketIds[0]!;
  }
  const codeOf = async (ticketId: string, viewer: { id: string }) =>
    (await getTicketForViewer(handle().db, ticketId, { ...viewer, role: 'customer' })).code!;
  const offer = (cookie: string, ticketId: string, email: string) =>
    call(transferRoute, {
      method: 'POST',
      url: `/api/tickets/${ticketId}/transfer`,
      params: { id: ticketId },
      cookie,
      body: { email },
      headers: { 'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.1` },
    });

  it('holds a transfer to an email without an account until that person signs up and claims it; the old code stops working', async () => {
    const sender = await signUp({ name: 'Sender' });
    const ticketId = await ticketOf(sender);
    const oldCode = await codeOf(ticketId, sender);
    const newcomer = `new-${crypto.randomUUID().slice(0, 8)}@example.test`;

    const res = await offer(sender.cookie, ticketId, newcomer);
    expect(res).toMatchObject({ status: 200, body: { ticketId, status: 'pending', toEmail: newcomer } });
    expect((await checkTicketCode(handle().db, oldCode)).ok).toBe(true);
    const token = await claimTokenSentTo(handle().db, newcomer);

    const joined = await signUp({ email: newcomer, name: 'Newcomer' });
    expect(await listTransfersToViewer(handle().db, joined)).toMatchObject([{ ticketId, fromName: 'Sender' }]);
    const claimed = await claimTransfer(deps(), joined, token);
    expect(claimed.ticketId).not.toBe(ticketId);
    expect(await checkTicketCode(handle().db, oldCode)).toMatchObject({ ok: false, reason: 'revoked' });
    const newCode = await codeOf(claimed.ticketId, joined);
    expect(newCode).not.toBe(oldCode);
    expect((await checkTicketCode(handle().db, newCode)).ok).toBe(true);
    // A second click on the link shows the same ticket; the sender's view says where it went.
    expect((await claimTransfer(deps(), joined, token)).ticketId).toBe(claimed.ticketId);
    expect(await getTicketForViewer(handle().db, ticketId, { id: sender.id, role: 'customer' })).toMatchObject({
      status: 'void',
      voidReason: 'transferred',
      transferredToEmail: newcomer,
    });
  });

  it('answers the same whether or not an account uses the address, and sends the same email', async () => {
    const sender = await signUp();
    const existing = await createUser(handle().db);
    const [a, b] = [await ticketOf(sender), await ticketOf(sender)];
    const toAccount = await offer(sender.cookie, a, existing.email);
    const toNobody = await offer(sender.cookie, b, `nobody-${crypto.randomUUID().slice(0, 8)}@example.test`);
    expect(toAccount.status).toBe(200);
    expect(toNobody.status).toBe(200);
    expect(Object.keys(toAccount.body as object).sort()).toEqual(Object.keys(toNobody.body as object).sort());
    const emails = await rows<{ to_email: string; text_body: string }>(
      handle().db,
      sql`select to_email, text_body from email_outbox where kind = 'ticket_transferred' and to_email in (${existing.email}, ${(toNobody.body as { toEmail: string }).toEmail})`,
    );
    const shape = (text: string) =>
      text
        .replace(/[^\n]*@example\.test[^\n]*/g, '')
        .replace(/token=[\w-]+/, '')
        .replace(/Event[^\n]*/g, '');
    expect(emails).toHaveLength(2);
    expect(shape(emails[0]!.text_body).split('\n').length).toBe(shape(emails[1]!.text_body).split('\n').length);
  });

  it('lets only a session with the recipient’s email claim, and only with the link’s secret', async () => {
    const sender = await createUser(handle().db);
    const recipient = await createUser(handle().db);
    const intruder = await createUser(handle().db);
    const ticketId = await ticketOf(sender);
    await offerAs(sender, ticketId, recipient.email);
    const token = await claimTokenSentTo(handle().db, recipient.email);
    await expect(claimTransfer(deps(), intruder, token)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(claimTransfer(deps(), recipient, 'A'.repeat(43))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The sender cannot claim their own offer either.
    await expect(claimTransfer(deps(), sender, token)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await claimTransfer(deps(), { ...recipient, email: recipient.email.toUpperCase() }, token)).status).toBe(
      'claimed',
    );
  });

  it('lets the sender cancel until it is claimed; a cancelled link claims nothing; a claimed one cannot be cancelled', async () => {
    const sender = await createUser(handle().db);
    const recipient = await createUser(handle().db);
    const ticketId = await ticketOf(sender);
    const first = await offerAs(sender, ticketId, recipient.email);
    const token = await claimTokenSentTo(handle().db, recipient.email);
    await expect(cancelTransfer(deps(), { id: recipient.id, role: 'customer' }, first)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await cancelTransfer(deps(), { id: sender.id, role: 'customer' }, first)).toEqual({
      transferId: first,
      status: 'cancelled',
    });
    await expect(claimTransfer(deps(), recipient, token)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect((await getTicketForViewer(handle().db, ticketId, { id: sender.id, role: 'customer' })).status).toBe('valid');

    const second = await offerAs(sender, ticketId, recipient.email);
    await claimTransfer(deps(), recipient, await claimTokenSentTo(handle().db, recipient.email));
    await expect(cancelTransfer(deps(), { id: sender.id, role: 'customer' }, second)).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('limits how many transfers an account offers (each sends an email)', async () => {
    const sender = await signUp();
    const ticketId = await ticketOf(sender);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await offer(sender.cookie, ticketId, `spam-${i}-${crypto.randomUUID().slice(0, 6)}@example.test`);
      statuses.push(res.status);
      const pending = (res.body as { transferId?: string }).transferId;
      if (pending) await cancelTransfer(deps(), { id: sender.id, role: 'customer' }, pending);
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  async function offerAs(sender: { id: string }, ticketId: string, email: string) {
    const { transferTicket } = await import('@/lib/tickets/transfer-ticket');
    return (await transferTicket(deps(), { id: sender.id, name: 'Sender', role: 'customer' }, ticketId, { email }))
      .transferId;
  }
});
