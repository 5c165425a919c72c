-- A hold costs PostgreSQL less (issue 14, docs/decisions/037-hot-seat-updates.md): a seat's hold, extension, release,
-- sale and expiry change no indexed column of event_seats, so they are HOT updates (the new row version goes on the
-- same page and no index gets a new entry), and the table keeps room on its pages for them.
--
-- The composite foreign key event_seats (hold_id, hold_state) -> holds (id, status) needed an index on hold_id (to
-- check, when a hold ends, that no seat still points at it), and that index made every hold of a seat a non-HOT
-- update with four new index entries. Its guarantee stays, as two constraint triggers that find their rows through
-- primary keys (a hold lists its seats in seat_ids, which can no longer change):
--   - a seat may point at a hold only if the hold is active, of the seat's event, and lists the seat (a hold of
--     another transaction is locked FOR SHARE, as the foreign key's FOR KEY SHARE did: it cannot end under it);
--   - a hold cannot end (or be deleted) while one of its seats points at it (under REPEATABLE READ its seats are
--     locked FOR SHARE to look, so a change since the snapshot fails with a serialization error, as the foreign
--     key's check did).
ALTER TABLE "event_seats" DROP CONSTRAINT "event_seats_live_hold_fk";--> statement-breakpoint
DROP INDEX "event_seats_hold_idx";--> statement-breakpoint
ALTER TABLE "holds" DROP CONSTRAINT "holds_id_status_unique";--> statement-breakpoint
-- The seat side, for every update that points a seat at a hold. A hold inserted by this same transaction is not
-- visible to any other, so nothing can end it before this commits: it is only read. Any other hold is locked
-- FOR SHARE while this transaction runs, as the foreign key's FOR KEY SHARE did (ending it waits; under REPEATABLE
-- READ, a hold ended since the snapshot raises a serialization error). The lookups are planned on every call
-- (EXECUTE): a cached plan made while holds was nearly empty (a new database, the start of a benchmark) reads the
-- whole table for each seat ever after, and one lookup by primary key costs less to plan than that.
CREATE FUNCTION event_seats_live_hold_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_own boolean;
BEGIN
  EXECUTE 'SELECT h.xmin = pg_current_xact_id()::xid FROM holds h
            WHERE h.id = $1 AND h.status = $2 AND h.event_id = $3 AND $4 = ANY (h.seat_ids)'
    INTO v_own USING NEW.hold_id, NEW.hold_state, NEW.event_id, NEW.id;
  IF v_own THEN
    RETURN NULL;
  END IF;
  EXECUTE 'SELECT true FROM holds h
            WHERE h.id = $1 AND h.status = $2 AND h.event_id = $3 AND $4 = ANY (h.seat_ids) FOR SHARE'
    INTO v_own USING NEW.hold_id, NEW.hold_state, NEW.event_id, NEW.id;
  IF v_own IS NULL THEN
    RAISE EXCEPTION 'event seat % cannot point at hold %: no active hold of its event lists it', NEW.id, NEW.hold_id
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'event_seats_live_hold_check';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "event_seats_live_hold_check" AFTER UPDATE OF hold_id, hold_state ON "event_seats"
  FOR EACH ROW WHEN (NEW.hold_id IS NOT NULL AND (NEW.hold_id IS DISTINCT FROM OLD.hold_id OR NEW.hold_state IS DISTINCT FROM OLD.hold_state))
  EXECUTE FUNCTION event_seats_live_hold_check();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "event_seats_live_hold_insert_check" AFTER INSERT ON "event_seats"
  FOR EACH ROW WHEN (NEW.hold_id IS NOT NULL OR NEW.hold_state IS NOT NULL)
  EXECUTE FUNCTION event_seats_live_hold_check();--> statement-breakpoint
CREATE FUNCTION holds_end_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_seat bigint;
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.id <> OLD.id OR NEW.event_id <> OLD.event_id OR NEW.seat_ids IS DISTINCT FROM OLD.seat_ids) THEN
    RAISE EXCEPTION 'hold % cannot change its id, event or seats', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  -- Under READ COMMITTED a fresh snapshot is enough: a transaction that points a seat at a committed hold holds that
  -- hold's row FOR SHARE until it ends (this update waited for it, and the next one waits for this one and then
  -- finds the hold ended), and the hold's own transaction is over. So nothing is locked and the sweep never waits
  -- on a buyer taking one of the hold's former seats. Under REPEATABLE READ or SERIALIZABLE the snapshot may be older
  -- than such a commit: every seat the hold lists is locked first, whatever it points at, so a change since the
  -- snapshot raises a serialization error.
  IF current_setting('transaction_isolation') = 'read committed' THEN
    SELECT s.id INTO v_seat FROM event_seats s WHERE s.id = ANY (OLD.seat_ids) AND s.hold_id = OLD.id LIMIT 1;
  ELSE
    SELECT es.id INTO v_seat FROM (
        SELECT s.id, s.hold_id FROM event_seats s WHERE s.id = ANY (OLD.seat_ids) ORDER BY s.id FOR SHARE
      ) es
     WHERE es.hold_id = OLD.id LIMIT 1;
  END IF;
  IF FOUND THEN
    RAISE EXCEPTION 'hold % cannot end: event seat % still points at it', OLD.id, v_seat
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'event_seats_live_hold_check';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "holds_end_check" AFTER UPDATE ON "holds"
  FOR EACH ROW WHEN ((OLD.status = 'active' AND NEW.status <> 'active') OR NEW.id <> OLD.id OR NEW.event_id <> OLD.event_id
                     OR NEW.seat_ids IS DISTINCT FROM OLD.seat_ids)
  EXECUTE FUNCTION holds_end_check();--> statement-breakpoint
-- Deleting a hold is checked at commit: an event's deletion removes its holds and its seats in one cascade.
CREATE CONSTRAINT TRIGGER "holds_delete_check" AFTER DELETE ON "holds" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.status = 'active')
  EXECUTE FUNCTION holds_end_check();--> statement-breakpoint
-- Room on every page for the held versions of its seats (a held row is about 80 bytes longer), so the updates stay
-- HOT; the existing rows are rewritten once with it.
ALTER TABLE "event_seats" SET (fillfactor = 75);--> statement-breakpoint
CLUSTER "event_seats" USING "event_seats_pkey";--> statement-breakpoint
ALTER TABLE "event_seats" SET WITHOUT CLUSTER;
