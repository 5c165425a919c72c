-- Taxes per event and discount codes per event (issue 18 items 3 and 5, decision 040). The money math mirrors
-- lib/pricing/price-order.ts line for line; tests/integration/pricing-sql.test.ts keeps them equal.
ALTER TABLE "events" ADD COLUMN "tax_mode" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "tax_rate_bp" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "tax_label" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "tax_fees" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_tax_mode_check" CHECK ("events"."tax_mode" in ('none', 'inclusive', 'exclusive'));--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_tax_rate_check" CHECK ("events"."tax_rate_bp" between 0 and 10000);--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_tax_label_check" CHECK (length("events"."tax_label") <= 40);--> statement-breakpoint

CREATE TABLE "discount_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"value" integer NOT NULL,
	"scope" text NOT NULL,
	"max_uses" integer,
	"per_account_limit" integer,
	"valid_from" timestamp with time zone,
	"valid_until" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"uses_count" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discount_codes_event_code_unique" UNIQUE("event_id","code"),
	CONSTRAINT "discount_codes_code_check" CHECK ("discount_codes"."code" ~ '^[A-Z0-9][A-Z0-9-]{2,31}$'),
	CONSTRAINT "discount_codes_kind_check" CHECK ("discount_codes"."kind" in ('percent', 'fixed') and "discount_codes"."scope" in ('order', 'ticket')),
	CONSTRAINT "discount_codes_value_check" CHECK ("discount_codes"."value" > 0 and ("discount_codes"."kind" <> 'percent' or "discount_codes"."value" <= 10000)),
	CONSTRAINT "discount_codes_limits_check" CHECK (("discount_codes"."max_uses" is null or "discount_codes"."max_uses" >= 1) and ("discount_codes"."per_account_limit" is null or "discount_codes"."per_account_limit" >= 1)),
	CONSTRAINT "discount_codes_uses_check" CHECK ("discount_codes"."uses_count" >= 0 and ("discount_codes"."max_uses" is null or "discount_codes"."uses_count" <= "discount_codes"."max_uses")),
	CONSTRAINT "discount_codes_validity_check" CHECK ("discount_codes"."valid_from" is null or "discount_codes"."valid_until" is null or "discount_codes"."valid_from" < "discount_codes"."valid_until")
);--> statement-breakpoint
ALTER TABLE "discount_codes" ADD CONSTRAINT "discount_codes_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discount_codes" ADD CONSTRAINT "discount_codes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint

ALTER TABLE "orders" ADD COLUMN "discount_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tax_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tax_mode" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tax_rate_bp" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tax_label" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "discount_code_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "discount_code" text;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_discount_code_id_discount_codes_id_fk" FOREIGN KEY ("discount_code_id") REFERENCES "public"."discount_codes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_amounts_check";--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_amounts_check" CHECK ("orders"."subtotal_minor" >= 0 and "orders"."fees_minor" >= 0 and "orders"."tax_minor" >= 0 and "orders"."discount_minor" between 0 and "orders"."subtotal_minor" and "orders"."total_minor" = "orders"."subtotal_minor" - "orders"."discount_minor" + "orders"."fees_minor" + (case when "orders"."tax_mode" = 'exclusive' then "orders"."tax_minor" else 0 end));--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_tax_mode_check" CHECK ("orders"."tax_mode" in ('none', 'inclusive', 'exclusive'));--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_discount_code_check" CHECK (("orders"."discount_code_id" is null) = ("orders"."discount_code" is null));--> statement-breakpoint
CREATE INDEX "orders_discount_code_idx" ON "orders" USING btree ("discount_code_id","user_id") WHERE "orders"."discount_code_id" is not null;--> statement-breakpoint

ALTER TABLE "order_items" ADD COLUMN "discount_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "tax_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "tax_rate_bp" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_items" DROP CONSTRAINT "order_items_price_check";--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_price_check" CHECK ("order_items"."price_minor" >= 0 and "order_items"."fee_minor" >= 0 and "order_items"."tax_minor" >= 0 and "order_items"."discount_minor" between 0 and "order_items"."price_minor");--> statement-breakpoint

ALTER TABLE "refunds" ADD COLUMN "tax_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "refunds" DROP CONSTRAINT "refunds_amount_check";--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_amount_check" CHECK ("refunds"."amount_minor" > 0 and "refunds"."tax_minor" between 0 and "refunds"."amount_minor");--> statement-breakpoint

-- numerator / denominator rounded half to even (lib/pricing/price-order.ts divHalfEven).
CREATE FUNCTION div_half_even(p_num bigint, p_den bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE
    WHEN 2 * (p_num % p_den) > p_den OR (2 * (p_num % p_den) = p_den AND (p_num / p_den) % 2 = 1) THEN p_num / p_den + 1
    ELSE p_num / p_den
  END
$$;
--> statement-breakpoint

-- One order's lines priced (lib/pricing/price-order.ts priceOrder): the discount before tax, the tax per line.
-- p_prices in the order's line order (the seats' idx); p_kind null means no discount.
CREATE FUNCTION price_order_lines(
  p_prices int[], p_fee int, p_tax_mode text, p_rate int, p_tax_fees boolean, p_kind text, p_value int, p_scope text
) RETURNS TABLE (ord int, discount_minor int, tax_minor int, total_minor int)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  n int := coalesce(cardinality(p_prices), 0);
  v_disc bigint[] := array_fill(0::bigint, ARRAY[greatest(n, 1)]);
  v_rest bigint[] := array_fill(0::bigint, ARRAY[greatest(n, 1)]);
  v_base bigint := 0;
  v_total bigint;
  v_left bigint;
  v_taxable bigint;
  v_tax bigint;
  v_pick int;
  i int;
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  IF p_kind = 'percent' THEN
    FOR i IN 1..n LOOP
      v_disc[i] := div_half_even(p_prices[i]::bigint * least(p_value, 10000), 10000);
    END LOOP;
  ELSIF p_kind = 'fixed' AND p_scope = 'ticket' THEN
    FOR i IN 1..n LOOP
      v_disc[i] := least(p_value, p_prices[i]);
    END LOOP;
  ELSIF p_kind = 'fixed' THEN
    FOR i IN 1..n LOOP
      v_base := v_base + p_prices[i];
    END LOOP;
    v_total := least(p_value::bigint, v_base);
    IF v_total > 0 THEN
      v_left := v_total;
      FOR i IN 1..n LOOP
        v_disc[i] := (v_total * p_prices[i]) / v_base;
        v_rest[i] := (v_total * p_prices[i]) % v_base;
        v_left := v_left - v_disc[i];
      END LOOP;
      -- The remainder, one unit each, to the largest remainders; ties to the earlier line.
      FOR v_pick IN SELECT r.i FROM generate_subscripts(v_rest, 1) AS r(i) ORDER BY v_rest[r.i] DESC, r.i LIMIT v_left LOOP
        v_disc[v_pick] := v_disc[v_pick] + 1;
      END LOOP;
    END IF;
  END IF;
  FOR i IN 1..n LOOP
    v_taxable := p_prices[i] - v_disc[i] + CASE WHEN p_tax_fees THEN p_fee ELSE 0 END;
    v_tax := CASE
      WHEN p_tax_mode = 'none' OR p_rate = 0 THEN 0
      WHEN p_tax_mode = 'exclusive' THEN div_half_even(v_taxable * p_rate, 10000)
      ELSE div_half_even(v_taxable * p_rate, 10000 + p_rate)
    END;
    ord := i;
    discount_minor := v_disc[i];
    tax_minor := v_tax;
    total_minor := p_prices[i] - v_disc[i] + p_fee + CASE WHEN p_tax_mode = 'exclusive' THEN v_tax ELSE 0 END;
    RETURN NEXT;
  END LOOP;
END
$$;
--> statement-breakpoint

-- A discount code's use is taken in the transaction that records the order, under the code's row lock, so neither
-- the total limit nor the per-account limit is ever overrun by parallel checkouts. A refusal raises SQLSTATE DC001
-- with the reason as its message (unknown, inactive, not_yet_valid, expired, exhausted, account_limit).
CREATE FUNCTION take_discount_code_use() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_code discount_codes%ROWTYPE;
  v_mine int;
BEGIN
  IF NEW.discount_code_id IS NULL OR NEW.status NOT IN ('pending', 'paid') THEN
    RETURN NEW;
  END IF;
  UPDATE discount_codes c SET uses_count = c.uses_count + 1
   WHERE c.id = NEW.discount_code_id AND c.event_id = NEW.event_id AND c.active
     AND (c.valid_from IS NULL OR c.valid_from <= NEW.created_at)
     AND (c.valid_until IS NULL OR NEW.created_at < c.valid_until)
     AND (c.max_uses IS NULL OR c.uses_count < c.max_uses)
  RETURNING * INTO v_code;
  IF NOT FOUND THEN
    SELECT * INTO v_code FROM discount_codes c WHERE c.id = NEW.discount_code_id AND c.event_id = NEW.event_id;
    RAISE EXCEPTION USING ERRCODE = 'DC001', MESSAGE = CASE
      WHEN NOT FOUND THEN 'unknown'
      WHEN NOT v_code.active THEN 'inactive'
      WHEN v_code.valid_from > NEW.created_at THEN 'not_yet_valid'
      WHEN v_code.valid_until <= NEW.created_at THEN 'expired'
      ELSE 'exhausted' END;
  END IF;
  IF v_code.per_account_limit IS NOT NULL THEN
    -- The code's row is locked by the update above: every other order with this code has committed or waits.
    SELECT count(*) INTO v_mine FROM orders o
     WHERE o.discount_code_id = NEW.discount_code_id AND o.user_id = NEW.user_id AND o.status IN ('pending', 'paid');
    IF v_mine >= v_code.per_account_limit THEN
      RAISE EXCEPTION USING ERRCODE = 'DC001', MESSAGE = 'account_limit';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER orders_take_discount_code_use BEFORE INSERT ON orders FOR EACH ROW
  WHEN (NEW.discount_code_id IS NOT NULL) EXECUTE FUNCTION take_discount_code_use();
--> statement-breakpoint

-- A failed, cancelled or refunded order gives its use back (once: only the step out of pending or paid counts).
CREATE FUNCTION give_back_discount_code_use() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE discount_codes SET uses_count = uses_count - 1 WHERE id = NEW.discount_code_id AND uses_count > 0;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER orders_give_back_discount_code_use AFTER UPDATE OF status ON orders FOR EACH ROW
  WHEN (NEW.discount_code_id IS NOT NULL AND OLD.status IN ('pending', 'paid') AND NEW.status NOT IN ('pending', 'paid'))
  EXECUTE FUNCTION give_back_discount_code_use();
--> statement-breakpoint

-- A refund returns the tax with the price: the tax inside a refund is the order's tax in proportion to the amount.
CREATE FUNCTION refund_tax_share() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_tax bigint;
  v_total bigint;
BEGIN
  SELECT o.tax_minor, o.total_minor INTO v_tax, v_total FROM orders o WHERE o.id = NEW.order_id;
  NEW.tax_minor := CASE WHEN coalesce(v_total, 0) = 0 THEN 0 ELSE least(div_half_even(v_tax * NEW.amount_minor, v_total), NEW.amount_minor) END;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER refunds_tax_share BEFORE INSERT ON refunds FOR EACH ROW EXECUTE FUNCTION refund_tax_share();
--> statement-breakpoint

-- checkout_begin as in 0006, with the buyer's discount code and the event's tax: the order's amounts are decided
-- here, once, by price_order_lines, and the order's insert takes the code's use (trigger above).
DROP FUNCTION checkout_begin(text, text, text, text, text, timestamptz, timestamptz, timestamptz, uuid, uuid, text, text, text, interval);
--> statement-breakpoint
CREATE FUNCTION checkout_begin(
  p_user text, p_email text, p_scope text, p_key text, p_hash text, p_now timestamptz, p_lock_until timestamptz, p_expires timestamptz,
  p_hold uuid, p_event uuid, p_reference text, p_provider text, p_payment_method text, p_extend interval, p_discount_code text
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
  v_event events%ROWTYPE;
  v_code discount_codes%ROWTYPE;
  v_ordered bigint[];
  v_prices int[];
  v_disc int[];
  v_tax int[];
  v_total int[];
BEGIN
  -- The caller checked the waiting room's admission for p_event before calling: a hold of another event (or of
  -- nobody it knows) changes nothing here, and the caller's general path answers.
  SELECT h.seat_ids, h.user_id INTO v_seats, v_owner FROM holds h WHERE h.id = p_hold AND h.event_id = p_event;
  IF NOT FOUND OR v_owner <> p_user THEN
    RETURN QUERY SELECT 'other'::text, NULL::uuid, NULL::uuid, NULL::jsonb;
    RETURN;
  END IF;
  IF p_discount_code IS NOT NULL THEN
    SELECT * INTO v_code FROM discount_codes c WHERE c.event_id = p_event AND c.code = upper(p_discount_code);
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'DC001', MESSAGE = 'unknown';
    END IF;
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

  -- The order at the hold's prices now: each seat's tier price and the event's fee per ticket, the discount code
  -- and the event's tax, priced per line in the seats' order.
  SELECT * INTO v_event FROM events e WHERE e.id = v_hold.event_id;
  SELECT array_agg(es.id ORDER BY es.idx), array_agg(t.price_minor ORDER BY es.idx) INTO v_ordered, v_prices
    FROM event_seats es JOIN price_tiers t ON t.id = es.price_tier_id WHERE es.id = ANY (v_seats);
  SELECT array_agg(p.discount_minor ORDER BY p.ord), array_agg(p.tax_minor ORDER BY p.ord), array_agg(p.total_minor ORDER BY p.ord)
    INTO v_disc, v_tax, v_total
    FROM price_order_lines(v_prices, v_event.fee_per_ticket_minor, v_event.tax_mode, v_event.tax_rate_bp, v_event.tax_fees,
                           v_code.kind, v_code.value, v_code.scope) p;
  INSERT INTO orders (id, reference, user_id, event_id, hold_id, status, email, currency, subtotal_minor, discount_minor, fees_minor,
                      tax_minor, tax_mode, tax_rate_bp, tax_label, discount_code_id, discount_code, total_minor, created_at, updated_at)
    VALUES (v_key, p_reference, p_user, v_event.id, p_hold, 'pending', p_email, v_event.currency,
            (SELECT sum(x) FROM unnest(v_prices) x), (SELECT sum(x) FROM unnest(v_disc) x),
            v_event.fee_per_ticket_minor * cardinality(v_prices), (SELECT sum(x) FROM unnest(v_tax) x),
            v_event.tax_mode, v_event.tax_rate_bp, v_event.tax_label, v_code.id, v_code.code,
            (SELECT sum(x) FROM unnest(v_total) x), p_now, p_now)
    RETURNING * INTO v_order;
  INSERT INTO order_items (order_id, event_seat_id, price_minor, fee_minor, discount_minor, tax_minor, tax_rate_bp, tier_name, section_label, row_label, seat_label)
    SELECT v_key, es.id, t.price_minor, v_event.fee_per_ticket_minor, v_disc[l.ord], v_tax[l.ord], v_event.tax_rate_bp,
           t.name, es.section_label, es.row_label, es.seat_label
      FROM unnest(v_ordered) WITH ORDINALITY AS l(seat, ord)
      JOIN event_seats es ON es.id = l.seat JOIN price_tiers t ON t.id = es.price_tier_id;
  -- Written before the provider is called: a crash during the call leaves a trace reconciliation finds.
  INSERT INTO payments (order_id, provider, status, amount_minor, currency, payment_method, created_at, updated_at)
    VALUES (v_key, p_provider, 'processing', v_order.total_minor, v_order.currency, p_payment_method, p_now, p_now)
    RETURNING id INTO v_payment;

  RETURN QUERY SELECT 'started'::text, v_key, v_key, (
    SELECT jsonb_build_object(
      'reference', v_order.reference, 'eventId', v_event.id, 'currency', v_order.currency, 'totalMinor', v_order.total_minor,
      'subtotalMinor', v_order.subtotal_minor, 'discountMinor', v_order.discount_minor, 'feesMinor', v_order.fees_minor,
      'taxMinor', v_order.tax_minor, 'taxMode', v_order.tax_mode, 'taxRateBp', v_order.tax_rate_bp, 'taxLabel', v_order.tax_label,
      'discountCode', v_order.discount_code,
      'eventName', v_event.name, 'startsAt', v_event.starts_at, 'timezone', v_event.timezone, 'paymentId', v_payment, 'holdExpiresAt', v_until,
      'seatIds', to_jsonb(v_seats),
      'seats', (SELECT jsonb_agg(jsonb_build_object('sectionLabel', i.section_label, 'rowLabel', i.row_label, 'seatLabel', i.seat_label) ORDER BY es.idx)
                  FROM order_items i JOIN event_seats es ON es.id = i.event_seat_id WHERE i.order_id = v_key)));
END
$$;
