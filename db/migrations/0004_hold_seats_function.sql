-- A seat hold in one round trip (lib/inventory/place-hold.ts calls it). The same steps the application would send
-- one by one, in the same lock order as every other writer: the buyer's advisory lock, then the seats in id order,
-- then the event's version row. Nothing is written unless every seat can be held.
--
-- outcome: 'held' (version = the new availability version), 'not_on_sale', 'limit' (owned = seats the buyer
-- already holds or bought), 'taken' (taken = the seats that are not free).
CREATE OR REPLACE FUNCTION hold_seats(
  p_hold uuid, p_event uuid, p_user text, p_seats bigint[], p_positions int[],
  p_now timestamptz, p_until timestamptz, p_account_limit int
) RETURNS TABLE (outcome text, version bigint, owned int, taken bigint[])
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_held int;
  v_sold int;
  v_taken bigint[];
  v_locked int;
  v_version bigint;
BEGIN
  -- One buyer's requests queue here, so parallel requests cannot each see room under the limit. Each following
  -- statement takes a fresh snapshot, after the lock is granted.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_event::text || ':' || p_user, 0));

  IF NOT EXISTS (SELECT 1 FROM events e WHERE e.id = p_event AND e.status = 'published' AND e.on_sale_at <= p_now AND e.starts_at > p_now) THEN
    RETURN QUERY SELECT 'not_on_sale'::text, NULL::bigint, NULL::int, NULL::bigint[];
    RETURN;
  END IF;

  SELECT count(*) INTO v_held FROM event_seats es WHERE es.event_id = p_event AND es.held_by = p_user AND es.held_until > p_now;
  SELECT count(*) INTO v_sold FROM tickets t WHERE t.event_id = p_event AND t.owner_id = p_user AND t.status IN ('valid', 'used');
  IF v_held + v_sold + cardinality(p_seats) > p_account_limit THEN
    RETURN QUERY SELECT 'limit'::text, NULL::bigint, v_held + v_sold, NULL::bigint[];
    RETURN;
  END IF;

  -- Lock the requested seats in id order (no deadlocks between overlapping requests) and see which are not free:
  -- a hold whose time has passed counts as free.
  SELECT count(*), coalesce(array_agg(s.id ORDER BY s.id) FILTER (WHERE NOT (s.status = 'available' OR (s.status = 'held' AND s.held_until <= p_now))), '{}')
    INTO v_locked, v_taken
    FROM (SELECT es.id, es.status, es.held_until FROM event_seats es
          WHERE es.event_id = p_event AND es.id = ANY (p_seats) ORDER BY es.id FOR UPDATE) s;
  IF v_locked <> cardinality(p_seats) OR cardinality(v_taken) > 0 THEN
    RETURN QUERY SELECT 'taken'::text, NULL::bigint, NULL::int,
      v_taken || ARRAY(SELECT x FROM unnest(p_seats) x WHERE NOT EXISTS (SELECT 1 FROM event_seats es WHERE es.event_id = p_event AND es.id = x));
    RETURN;
  END IF;

  INSERT INTO holds (id, event_id, user_id, seat_count, seat_ids, expires_at)
    VALUES (p_hold, p_event, p_user, cardinality(p_seats), p_seats, p_until);
  UPDATE event_seats es
     SET status = 'held', hold_id = p_hold, hold_state = 'active', held_by = p_user, held_until = p_until
   WHERE es.event_id = p_event AND es.id = ANY (p_seats);

  -- Last: the version row every change of the event shares, held only until commit.
  UPDATE event_availability ea SET version = ea.version + 1 WHERE ea.event_id = p_event RETURNING ea.version INTO v_version;
  INSERT INTO availability_changes (event_id, version, status, seat_idx, held_by, held_until)
    VALUES (p_event, v_version, 1, p_positions, p_user, p_until);
  RETURN QUERY SELECT 'held'::text, v_version, NULL::int, NULL::bigint[];
END
$$;
