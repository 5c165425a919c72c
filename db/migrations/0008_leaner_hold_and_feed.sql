-- A hold costs PostgreSQL less (issue 14, decision 019): the change feed needs no key of its own (a seat's changes
-- apply in the order of their revs, so nothing orders rows but the watermark), and hold_seats() asks its questions
-- in one statement instead of three before it writes.
ALTER TABLE "availability_changes" DROP COLUMN "seq";--> statement-breakpoint
CREATE OR REPLACE FUNCTION hold_seats(
  p_hold uuid, p_event uuid, p_user text, p_seats bigint[],
  p_now timestamptz, p_until timestamptz, p_account_limit int, p_abandon_since timestamptz, p_abandon_limit int
) RETURNS TABLE (outcome text, owned int, taken bigint[], abandoned int, abandoned_oldest timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_on_sale boolean;
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
  -- The sale, the buyer's holds of this event (seats held now, holds let go unbought lately: holds_event_user_idx),
  -- the seats the buyer bought (paid orders, wherever their tickets are now: orders_user_created_idx), and the
  -- requested seats that are not free: one statement, one snapshot, taken after the lock was granted.
  SELECT EXISTS (SELECT 1 FROM events e WHERE e.id = p_event AND e.status = 'published' AND e.on_sale_at <= p_now AND e.starts_at > p_now),
         h.held, h.abandoned, h.oldest,
         (SELECT count(*) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.user_id = p_user AND o.event_id = p_event AND o.status = 'paid'),
         ARRAY(SELECT r.seat FROM unnest(p_seats) AS r(seat) WHERE NOT EXISTS (
                 SELECT 1 FROM event_seats es WHERE es.id = r.seat AND es.event_id = p_event
                    AND (es.status = 'available' OR (es.status = 'held' AND es.held_until <= p_now))))
    INTO v_on_sale, v_held, v_abandoned, v_oldest, v_bought, taken
    FROM (SELECT coalesce(sum(x.seat_count) FILTER (WHERE x.status = 'active' AND x.expires_at > p_now), 0)::int AS held,
                 count(*) FILTER (WHERE x.status IN ('released', 'expired') AND x.ended_at > p_abandon_since)::int AS abandoned,
                 min(x.ended_at) FILTER (WHERE x.status IN ('released', 'expired') AND x.ended_at > p_abandon_since) AS oldest
            FROM holds x WHERE x.event_id = p_event AND x.user_id = p_user) h;
  IF NOT v_on_sale THEN
    RETURN QUERY SELECT 'not_on_sale'::text, NULL::int, NULL::bigint[], NULL::int, NULL::timestamptz;
    RETURN;
  END IF;
  IF v_abandoned >= p_abandon_limit THEN
    RETURN QUERY SELECT 'abandoned'::text, NULL::int, NULL::bigint[], v_abandoned, v_oldest;
    RETURN;
  END IF;
  IF v_held + v_bought + cardinality(p_seats) > p_account_limit THEN
    RETURN QUERY SELECT 'limit'::text, v_held + v_bought, NULL::bigint[], NULL::int, NULL::timestamptz;
    RETURN;
  END IF;
  -- Seats someone else has: answered without locking or writing anything.
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
