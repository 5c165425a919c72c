-- A paid checkout in two writing statements (lib/checkout/pay-for-hold.ts): checkout_begin records the attempt, the
-- payment provider is called outside any transaction, checkout_finalise settles it. Each is one round trip and one
-- commit; the same rules as the application's general path (lib/checkout/with-idempotency.ts, finalise-order.ts),
-- which still handles replays, resumed attempts and the provider's late reports. Lock order as every writer:
-- seats (in id order), then the hold, then the order.

-- Claims the idempotency key (its id becomes the order's), checks the buyer's hold, extends it once for the payment,
-- and records the pending order, its items and its payment row.
-- key_id: the claimed idempotency record (null for 'existing' and 'other'). outcome: 'other' (no hold of the buyer's
-- for p_event: nothing was written, the general path answers), 'existing' (the key was used before: the general path
-- answers),
-- 'paid' (order_id = the order that bought the hold), 'ended' (the hold is over), 'live_order' (order_id, detail.status:
-- another payment for the hold is running or done), 'started' (order_id, detail: what the email and the provider need).
CREATE FUNCTION checkout_begin(
  p_user text, p_email text, p_scope text, p_key text, p_hash text, p_now timestamptz, p_lock_until timestamptz, p_expires timestamptz,
  p_hold uuid, p_event uuid, p_reference text, p_provider text, p_payment_method text, p_extend interval
) RETURNS TABLE (outcome text, key_id uuid, order_id uuid, detail jsonb)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_key uuid;
  v_seats bigint[];
  v_owner text;
  v_hold holds%ROWTYPE;
  v_live record;
  v_until timestamptz;
  v_idx int[];
  v_rev int[];
  v_payment uuid;
  v_order orders%ROWTYPE;
BEGIN
  -- The caller checked the waiting room's admission for p_event before calling: a hold of another event (or of
  -- nobody it knows) changes nothing here, and the caller's general path answers.
  SELECT h.seat_ids, h.user_id INTO v_seats, v_owner FROM holds h WHERE h.id = p_hold AND h.event_id = p_event;
  IF NOT FOUND OR v_owner <> p_user THEN
    RETURN QUERY SELECT 'other'::text, NULL::uuid, NULL::uuid, NULL::jsonb;
    RETURN;
  END IF;
  INSERT INTO idempotency_keys (user_id, scope, key, request_hash, status, locked_until, created_at, expires_at)
    VALUES (p_user, p_scope, p_key, p_hash, 'in_progress', p_lock_until, p_now, p_expires)
    ON CONFLICT DO NOTHING RETURNING id INTO v_key;
  IF v_key IS NULL THEN
    RETURN QUERY SELECT 'existing'::text, NULL::uuid, NULL::uuid, NULL::jsonb;
    RETURN;
  END IF;
  PERFORM 1 FROM event_seats es WHERE es.id = ANY (v_seats) ORDER BY es.id FOR UPDATE;
  SELECT * INTO v_hold FROM holds h WHERE h.id = p_hold FOR UPDATE;
  IF v_hold.status = 'converted' THEN
    RETURN QUERY SELECT 'paid'::text, v_key, (SELECT o.id FROM orders o WHERE o.hold_id = p_hold AND o.status = 'paid' LIMIT 1), NULL::jsonb;
    RETURN;
  END IF;
  -- A seat is taken from a hold only once the hold has ended, so a missing seat means it is over.
  IF v_hold.status <> 'active' OR v_hold.expires_at <= p_now
     OR (SELECT count(*) FROM event_seats es WHERE es.id = ANY (v_seats) AND es.hold_id = p_hold) <> cardinality(v_seats) THEN
    RETURN QUERY SELECT 'ended'::text, v_key, NULL::uuid, jsonb_build_object('eventId', v_hold.event_id);
    RETURN;
  END IF;
  SELECT o.id, o.status INTO v_live FROM orders o WHERE o.hold_id = p_hold AND o.status IN ('pending', 'paid') LIMIT 1;
  IF FOUND THEN
    RETURN QUERY SELECT 'live_order'::text, v_key, v_live.id, jsonb_build_object('status', v_live.status);
    RETURN;
  END IF;

  -- The hold is extended once, when payment starts: enough to type a card and pass a bank's check.
  IF v_hold.extended_at IS NULL THEN
    v_until := greatest(v_hold.expires_at, p_now) + p_extend;
    UPDATE holds SET expires_at = v_until, extended_at = p_now WHERE id = p_hold;
    WITH moved AS (
      UPDATE event_seats es SET rev = es.rev + 1, held_until = v_until WHERE es.id = ANY (v_seats) AND es.hold_id = p_hold RETURNING es.idx, es.rev
    )
    SELECT array_agg(m.idx), array_agg(m.rev) INTO v_idx, v_rev FROM moved m;
    INSERT INTO availability_changes (event_id, status, seat_idx, seat_rev, held_by, held_until)
      VALUES (v_hold.event_id, 1, v_idx, v_rev, p_user, v_until);
  ELSE
    v_until := v_hold.expires_at;
  END IF;

  -- The order at the hold's prices now: each seat's tier price plus the event's fee per ticket.
  INSERT INTO orders (id, reference, user_id, event_id, hold_id, status, email, currency, subtotal_minor, fees_minor, total_minor, created_at, updated_at)
    SELECT v_key, p_reference, p_user, e.id, p_hold, 'pending', p_email, e.currency,
           sum(t.price_minor), e.fee_per_ticket_minor * count(*), sum(t.price_minor) + e.fee_per_ticket_minor * count(*), p_now, p_now
      FROM event_seats es JOIN price_tiers t ON t.id = es.price_tier_id JOIN events e ON e.id = es.event_id
     WHERE es.id = ANY (v_seats)
     GROUP BY e.id, e.currency, e.fee_per_ticket_minor
    RETURNING * INTO v_order;
  INSERT INTO order_items (order_id, event_seat_id, price_minor, fee_minor, tier_name, section_label, row_label, seat_label)
    SELECT v_key, es.id, t.price_minor, e.fee_per_ticket_minor, t.name, es.section_label, es.row_label, es.seat_label
      FROM event_seats es JOIN price_tiers t ON t.id = es.price_tier_id JOIN events e ON e.id = es.event_id
     WHERE es.id = ANY (v_seats);
  -- Written before the provider is called: a crash during the call leaves a trace reconciliation finds.
  INSERT INTO payments (order_id, provider, status, amount_minor, currency, payment_method, created_at, updated_at)
    VALUES (v_key, p_provider, 'processing', v_order.total_minor, v_order.currency, p_payment_method, p_now, p_now)
    RETURNING id INTO v_payment;

  RETURN QUERY SELECT 'started'::text, v_key, v_key, (
    SELECT jsonb_build_object(
      'reference', v_order.reference, 'eventId', e.id, 'currency', v_order.currency, 'totalMinor', v_order.total_minor,
      'eventName', e.name, 'startsAt', e.starts_at, 'timezone', e.timezone, 'paymentId', v_payment, 'holdExpiresAt', v_until,
      'seatIds', to_jsonb(v_seats),
      'seats', (SELECT jsonb_agg(jsonb_build_object('sectionLabel', i.section_label, 'rowLabel', i.row_label, 'seatLabel', i.seat_label) ORDER BY es.idx)
                  FROM order_items i JOIN event_seats es ON es.id = i.event_seat_id WHERE i.order_id = v_key))
    FROM events e WHERE e.id = v_order.event_id);
END
$$;
--> statement-breakpoint

-- A payment for the order succeeded: settle it, once. The seats become sold if this buyer's hold still has them or
-- they are free (the hold ran out but nobody took them): then the order is paid, with its tickets, its email and its
-- change on the seat maps, and, given p_key, the idempotency record holds the answer. If anyone else has a seat,
-- the order fails and a refund is recorded (the caller pays it out). A seat taken by a transaction still running
-- when this one looked raises serialization_failure: the caller asks again.
-- outcome: 'unchanged' (settled before), 'paid' (detail: ticketIds, seatIds), 'seats_lost' (detail: refundId,
-- lostSeatIds); detail also names the order's event, buyer and status. p_paid_email / p_lost_email: {to, subject, text, kind} of the message each outcome sends.
CREATE FUNCTION checkout_finalise(
  p_order uuid, p_provider_payment_id text, p_provider text, p_now timestamptz, p_nonces text[], p_key uuid,
  p_paid_email jsonb, p_lost_email jsonb
) RETURNS TABLE (outcome text, detail jsonb)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_order orders%ROWTYPE;
  v_payment uuid;
  v_seats bigint[];
  v_lost bigint[];
  v_seat bigint;
  v_one_idx int;
  v_one_rev int;
  v_idx int[] := '{}';
  v_rev int[] := '{}';
  v_tickets uuid[];
  v_refund uuid;
BEGIN
  SELECT * INTO v_order FROM orders o WHERE o.id = p_order FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'checkout_finalise: no order %', p_order USING ERRCODE = 'no_data_found';
  END IF;
  IF v_order.status <> 'pending' THEN
    RETURN QUERY SELECT 'unchanged'::text, jsonb_build_object('eventId', v_order.event_id, 'userId', v_order.user_id, 'status', v_order.status);
    RETURN;
  END IF;

  -- The payment: the row of this provider id, else the one still in flight (one succeeded payment per order at most).
  UPDATE payments SET status = 'succeeded', provider_payment_id = p_provider_payment_id, failure_code = NULL, failure_message = NULL, updated_at = p_now
   WHERE id = (SELECT p.id FROM payments p WHERE p.order_id = p_order
                  AND (p.provider_payment_id = p_provider_payment_id OR (p.provider_payment_id IS NULL AND p.status = 'processing'))
                ORDER BY (p.provider_payment_id = p_provider_payment_id) DESC NULLS LAST, p.created_at LIMIT 1)
  RETURNING id INTO v_payment;
  IF v_payment IS NULL THEN
    -- A payment the provider knows but that was never recorded (a crash between the two).
    INSERT INTO payments (order_id, provider, provider_payment_id, status, amount_minor, currency, created_at, updated_at)
      VALUES (p_order, p_provider, p_provider_payment_id, 'succeeded', v_order.total_minor, v_order.currency, p_now, p_now)
      RETURNING id INTO v_payment;
  END IF;

  v_seats := ARRAY(SELECT i.event_seat_id FROM order_items i WHERE i.order_id = p_order ORDER BY i.event_seat_id);
  v_lost := CASE WHEN v_order.hold_id IS NULL THEN v_seats ELSE ARRAY(
    SELECT r.seat FROM unnest(v_seats) AS r(seat) WHERE NOT EXISTS (
      SELECT 1 FROM event_seats es WHERE es.id = r.seat
         AND (es.status = 'available' OR (es.status = 'held' AND (es.hold_id = v_order.hold_id OR es.held_until <= p_now))))) END;

  IF cardinality(v_lost) = 0 THEN
    FOREACH v_seat IN ARRAY v_seats LOOP
      UPDATE event_seats es SET rev = es.rev + 1, status = 'sold', hold_id = NULL, hold_state = NULL, held_by = NULL, held_until = NULL
       WHERE es.id = v_seat AND (es.status = 'available' OR (es.status = 'held' AND (es.hold_id = v_order.hold_id OR es.held_until <= p_now)))
      RETURNING es.idx, es.rev INTO v_one_idx, v_one_rev;
      IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'serialization_failure', MESSAGE = 'checkout_finalise: a concurrent hold took a seat; ask again', DETAIL = v_seat::text;
      END IF;
      v_idx := v_idx || v_one_idx;
      v_rev := v_rev || v_one_rev;
    END LOOP;
    -- A hold the sweeper already ended stays ended; its seats were free and are now sold.
    UPDATE holds SET status = 'converted', ended_at = p_now WHERE id = v_order.hold_id AND status = 'active';
    -- One live ticket per item; the deferred trigger checks at commit that every sold seat has exactly one.
    WITH issued AS (
      INSERT INTO tickets (order_id, order_item_id, event_id, event_seat_id, owner_id, nonce, created_at)
        SELECT p_order, i.id, v_order.event_id, i.event_seat_id, v_order.user_id, p_nonces[n.ord], p_now
          FROM (SELECT i.*, row_number() OVER (ORDER BY i.event_seat_id) AS ord FROM order_items i WHERE i.order_id = p_order) i
          JOIN generate_series(1, cardinality(p_nonces)) AS n(ord) ON n.ord = i.ord
      RETURNING id
    )
    SELECT array_agg(id) INTO v_tickets FROM issued;
    UPDATE orders SET status = 'paid', paid_at = p_now, updated_at = p_now WHERE id = p_order;
    INSERT INTO email_outbox (to_email, subject, text_body, kind, order_id, created_at)
      VALUES (p_paid_email->>'to', p_paid_email->>'subject', p_paid_email->>'text', p_paid_email->>'kind', p_order, p_now);
    INSERT INTO availability_changes (event_id, status, seat_idx, seat_rev) VALUES (v_order.event_id, 2, v_idx, v_rev);
    IF p_key IS NOT NULL THEN
      UPDATE idempotency_keys
         SET status = 'completed', response_status = 200, locked_until = NULL,
             response_body = jsonb_build_object('outcome', 'paid', 'orderId', p_order, 'reference', v_order.reference, 'status', 'paid',
                                                'totalMinor', v_order.total_minor, 'currency', v_order.currency, 'ticketIds', to_jsonb(v_tickets))
       WHERE id = p_key AND status = 'in_progress';
    END IF;
    RETURN QUERY SELECT 'paid'::text, jsonb_build_object('ticketIds', to_jsonb(v_tickets), 'seatIds', to_jsonb(v_seats), 'eventId', v_order.event_id, 'userId', v_order.user_id, 'status', 'paid');
    RETURN;
  END IF;

  UPDATE orders SET status = 'failed', failure_code = 'SEATS_TAKEN', updated_at = p_now,
         failure_message = 'Paid after the hold ended; ' || coalesce((
           SELECT string_agg(i.section_label || ' ' || i.row_label || '-' || i.seat_label, ', ' ORDER BY i.event_seat_id)
             FROM order_items i WHERE i.order_id = p_order AND i.event_seat_id = ANY (v_lost)), 'the seats')
           || ' had been taken by someone else in the meantime. Refunded in full.'
   WHERE id = p_order;
  INSERT INTO refunds (payment_id, order_id, amount_minor, reason, status) VALUES (v_payment, p_order, v_order.total_minor, 'seats_lost', 'pending')
    ON CONFLICT DO NOTHING RETURNING id INTO v_refund;
  IF v_refund IS NULL THEN
    SELECT r.id INTO v_refund FROM refunds r WHERE r.payment_id = v_payment AND r.reason = 'seats_lost';
  END IF;
  INSERT INTO email_outbox (to_email, subject, text_body, kind, order_id, created_at)
    VALUES (p_lost_email->>'to', p_lost_email->>'subject', p_lost_email->>'text', p_lost_email->>'kind', p_order, p_now);
  RETURN QUERY SELECT 'seats_lost'::text, jsonb_build_object('refundId', v_refund, 'lostSeatIds', to_jsonb(v_lost), 'eventId', v_order.event_id, 'userId', v_order.user_id, 'status', 'failed');
END
$$;
