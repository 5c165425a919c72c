-- The change feed without a per-event version row (docs/decisions/019-change-feed-watermark.md): every change row
-- carries its transaction id and the seats' new revs; readers read below the oldest running transaction. The old
-- feed's versions mean nothing to the new one: clients that knew one get a snapshot.
DELETE FROM "availability_changes";--> statement-breakpoint
DROP TABLE "event_availability" CASCADE;--> statement-breakpoint
DROP INDEX "event_seats_event_status_idx";--> statement-breakpoint
DROP INDEX "event_seats_held_by_idx";--> statement-breakpoint
DROP INDEX "availability_changes_created_idx";--> statement-breakpoint
ALTER TABLE "availability_changes" DROP CONSTRAINT "availability_changes_pkey";--> statement-breakpoint
ALTER TABLE "availability_changes" ADD COLUMN "seq" bigint PRIMARY KEY NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "availability_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "availability_changes" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "availability_changes" ADD COLUMN "seat_rev" integer[] NOT NULL;--> statement-breakpoint
CREATE INDEX "availability_changes_event_xid_idx" ON "availability_changes" USING btree ("event_id","xid");--> statement-breakpoint
CREATE INDEX "availability_changes_created_idx" ON "availability_changes" USING brin ("created_at");--> statement-breakpoint
ALTER TABLE "availability_changes" DROP COLUMN "version";;--> statement-breakpoint
-- The seat state machine as a condition of the trigger instead of a PL/pgSQL call per row: allowed updates (every
-- hold, sale and release) run no function at all; only a refused one calls it, to say why. Every update must set
-- rev = rev + 1 itself (the feed orders a seat's changes by it).
DROP TRIGGER "event_seats_transition" ON "event_seats";--> statement-breakpoint
DROP FUNCTION "event_seats_transition"();--> statement-breakpoint
CREATE FUNCTION event_seats_transition_refused() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.event_id <> OLD.event_id OR NEW.seat_id <> OLD.seat_id OR NEW.idx <> OLD.idx THEN
    RAISE EXCEPTION 'event seat % cannot change its event, seat or position', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.rev IS DISTINCT FROM OLD.rev + 1 THEN
    RAISE EXCEPTION 'event seat %: an update must set rev = rev + 1 (it set % after %)', OLD.id, NEW.rev, OLD.rev USING ERRCODE = 'check_violation';
  END IF;
  RAISE EXCEPTION 'event seat % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
END
$$;--> statement-breakpoint
-- Allowed: available -> held -> sold, held -> available, held -> held (a new hold after expiry, or an extension),
-- available -> sold (a late payment for seats that are still free), available <-> blocked (box office),
-- sold -> available (only once its ticket was voided; the sold check at commit sees to that).
CREATE TRIGGER "event_seats_transition" BEFORE UPDATE ON "event_seats" FOR EACH ROW
  WHEN (NEW.event_id <> OLD.event_id OR NEW.seat_id <> OLD.seat_id OR NEW.idx <> OLD.idx
        OR NEW.rev IS DISTINCT FROM OLD.rev + 1
        OR NOT (OLD.status = NEW.status
                OR (OLD.status = 'available' AND NEW.status IN ('held', 'sold', 'blocked'))
                OR (OLD.status = 'held' AND NEW.status IN ('available', 'sold'))
                OR (OLD.status = 'blocked' AND NEW.status = 'available')
                OR (OLD.status = 'sold' AND NEW.status = 'available')))
  EXECUTE FUNCTION event_seats_transition_refused();--> statement-breakpoint
DROP FUNCTION "hold_seats"(uuid, uuid, text, bigint[], int[], timestamptz, timestamptz, int);--> statement-breakpoint
-- A seat hold in one round trip (lib/inventory/place-hold.ts). The buyer's advisory lock first (one buyer's
-- requests queue here, so parallel ones cannot each see room under the limits), then the checks, each a few index
-- lookups, and, if every seat is free, the hold, its seats and its change-feed row. Nothing is written unless every
-- seat can be held. No row is shared with other buyers' holds.
--
-- outcome: 'held'; 'not_on_sale'; 'abandoned' (the buyer let `abandoned` holds of this event go unbought since
-- p_abandon_since, the oldest ending at `abandoned_oldest`); 'limit' (`owned` = seats the buyer holds or bought for the
-- event: paid orders count even when their tickets were transferred away); 'taken' (`taken` = seats that are not free).
-- A seat taken by a transaction that was still running when this one looked raises serialization_failure (40001):
-- the caller asks again, and the second call answers 'taken'.
CREATE FUNCTION hold_seats(
  p_hold uuid, p_event uuid, p_user text, p_seats bigint[],
  p_now timestamptz, p_until timestamptz, p_account_limit int, p_abandon_since timestamptz, p_abandon_limit int
) RETURNS TABLE (outcome text, owned int, taken bigint[], abandoned int, abandoned_oldest timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_held int;
  v_bought int;
  v_abandoned int;
  v_oldest timestamptz;
  v_seat bigint;
  v_one_idx int;
  v_one_rev int;
  v_idx int[] := '{}';
  v_rev int[] := '{}';
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_event::text || ':' || p_user, 0));
  IF NOT EXISTS (SELECT 1 FROM events e WHERE e.id = p_event AND e.status = 'published' AND e.on_sale_at <= p_now AND e.starts_at > p_now) THEN
    RETURN QUERY SELECT 'not_on_sale'::text, NULL::int, NULL::bigint[], NULL::int, NULL::timestamptz;
    RETURN;
  END IF;
  -- The buyer's holds of this event (holds_event_user_idx): seats held now, and holds let go unbought lately.
  SELECT coalesce(sum(h.seat_count) FILTER (WHERE h.status = 'active' AND h.expires_at > p_now), 0),
         count(*) FILTER (WHERE h.status IN ('released', 'expired') AND h.ended_at > p_abandon_since),
         min(h.ended_at) FILTER (WHERE h.status IN ('released', 'expired') AND h.ended_at > p_abandon_since)
    INTO v_held, v_abandoned, v_oldest
    FROM holds h WHERE h.event_id = p_event AND h.user_id = p_user;
  IF v_abandoned >= p_abandon_limit THEN
    RETURN QUERY SELECT 'abandoned'::text, NULL::int, NULL::bigint[], v_abandoned, v_oldest;
    RETURN;
  END IF;
  -- Seats the buyer bought (orders_user_created_idx): what the account paid for, wherever the tickets are now.
  SELECT count(*) INTO v_bought FROM orders o JOIN order_items i ON i.order_id = o.id
   WHERE o.user_id = p_user AND o.event_id = p_event AND o.status = 'paid';
  IF v_held + v_bought + cardinality(p_seats) > p_account_limit THEN
    RETURN QUERY SELECT 'limit'::text, v_held + v_bought, NULL::bigint[], NULL::int, NULL::timestamptz;
    RETURN;
  END IF;
  -- Seats someone else has: answered without locking or writing anything.
  taken := ARRAY(SELECT r.seat FROM unnest(p_seats) AS r(seat) WHERE NOT EXISTS (
             SELECT 1 FROM event_seats es WHERE es.id = r.seat AND es.event_id = p_event
                AND (es.status = 'available' OR (es.status = 'held' AND es.held_until <= p_now))));
  IF cardinality(taken) > 0 THEN
    RETURN QUERY SELECT 'taken'::text, NULL::int, taken, NULL::int, NULL::timestamptz;
    RETURN;
  END IF;
  INSERT INTO holds (id, event_id, user_id, seat_count, seat_ids, expires_at)
    VALUES (p_hold, p_event, p_user, cardinality(p_seats), p_seats, p_until);
  -- The conditional update decides, seat by seat in id order (the order every writer locks seats in, so two holds
  -- never deadlock): a seat another transaction took since the check above is not updated.
  FOREACH v_seat IN ARRAY ARRAY(SELECT DISTINCT r.seat FROM unnest(p_seats) AS r(seat) ORDER BY r.seat) LOOP
    UPDATE event_seats es
       SET rev = es.rev + 1, status = 'held', hold_id = p_hold, hold_state = 'active', held_by = p_user, held_until = p_until
     WHERE es.id = v_seat AND es.event_id = p_event
       AND (es.status = 'available' OR (es.status = 'held' AND es.held_until <= p_now))
    RETURNING es.idx, es.rev INTO v_one_idx, v_one_rev;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'serialization_failure', MESSAGE = 'hold_seats: a concurrent hold took a seat; ask again', DETAIL = v_seat::text;
    END IF;
    v_idx := v_idx || v_one_idx;
    v_rev := v_rev || v_one_rev;
  END LOOP;
  IF cardinality(v_idx) <> cardinality(p_seats) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = 'hold_seats: a seat is listed twice';
  END IF;
  INSERT INTO availability_changes (event_id, status, seat_idx, seat_rev, held_by, held_until)
    VALUES (p_event, 1, v_idx, v_rev, p_user, p_until);
  RETURN QUERY SELECT 'held'::text, NULL::int, NULL::bigint[], NULL::int, NULL::timestamptz;
END
$$;