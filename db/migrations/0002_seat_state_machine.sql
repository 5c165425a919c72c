-- The seat state machine, enforced by the database whatever the application does.
-- Allowed: available -> held -> sold, held -> available, held -> held (a new hold after expiry, or an extension),
-- available -> sold (a late payment for seats that are still free), available <-> blocked (box office),
-- sold -> available (only once its ticket was voided; checked at commit below).
CREATE OR REPLACE FUNCTION event_seats_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.event_id <> OLD.event_id OR NEW.seat_id <> OLD.seat_id OR NEW.idx <> OLD.idx THEN
    RAISE EXCEPTION 'event seat % cannot change its event, seat or position', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF NOT (
    OLD.status = NEW.status
    OR (OLD.status = 'available' AND NEW.status IN ('held', 'sold', 'blocked'))
    OR (OLD.status = 'held' AND NEW.status IN ('available', 'sold'))
    OR (OLD.status = 'blocked' AND NEW.status = 'available')
    OR (OLD.status = 'sold' AND NEW.status = 'available')
  ) THEN
    RAISE EXCEPTION 'event seat % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
  END IF;
  NEW.rev := OLD.rev + 1;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER event_seats_transition BEFORE UPDATE ON event_seats FOR EACH ROW EXECUTE FUNCTION event_seats_transition();
--> statement-breakpoint
-- A seat is sold exactly when it has one live ticket. Checked at commit, so a transaction may insert the ticket and
-- mark the seat sold in either order, and a transfer may void one ticket and issue the next.
CREATE OR REPLACE FUNCTION event_seat_sold_matches_ticket(seat bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  seat_status text;
  live_tickets int;
BEGIN
  SELECT status INTO seat_status FROM event_seats WHERE id = seat;
  SELECT count(*) INTO live_tickets FROM tickets WHERE event_seat_id = seat AND status IN ('valid', 'used');
  IF (seat_status = 'sold') <> (live_tickets = 1) THEN
    RAISE EXCEPTION 'event seat % is % with % live ticket(s)', seat, seat_status, live_tickets USING ERRCODE = 'check_violation';
  END IF;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION event_seats_sold_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM event_seat_sold_matches_ticket(NEW.id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER event_seats_sold_check AFTER UPDATE OF status ON event_seats DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND (OLD.status = 'sold' OR NEW.status = 'sold'))
  EXECUTE FUNCTION event_seats_sold_check();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tickets_seat_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM event_seat_sold_matches_ticket(NEW.event_seat_id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER tickets_seat_check AFTER INSERT OR UPDATE OF status, event_seat_id ON tickets DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION tickets_seat_check();
