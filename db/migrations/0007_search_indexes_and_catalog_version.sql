-- Catalog search (docs/decisions/018-search-cache.md): the catalog version every instance's search cache is stamped
-- with, and two covering indexes for browsing and the filters without words. On a large live table, build the
-- indexes with CREATE INDEX CONCURRENTLY outside a transaction instead.
CREATE TABLE "catalog_version" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_version_single_row" CHECK ("catalog_version"."id" = 1)
);--> statement-breakpoint
-- Upcoming published events in start order, covering every column that browsing and the filters without words read
-- (city, category, local-day test, price overlap). A date-sorted page walks it in order, tests the filters on index
-- tuples and visits the table only for the page's own rows; facet counts for a date range are an index-only scan of
-- that range (dates + price on the bench: 26 -> 5 ms cold). (id) in the key serves the keyset cursor
-- (starts_at, id). Partial on status = 'published' (a literal in the queries, so generic plans use it too): drafts
-- and cancelled events are never searched. For search it supersedes events_status_starts_idx, which other readers
-- may still use, so that one stays.
CREATE INDEX IF NOT EXISTS "events_upcoming_idx" ON "events" USING btree ("starts_at", "id")
  INCLUDE ("city", "category", "timezone", "min_price_minor", "max_price_minor")
  WHERE "status" = 'published';--> statement-breakpoint
-- Published events by city and category, covering the other filters without words. The facet counts of a
-- whole-catalogue browse (92,000 upcoming events on the bench) read it in (city, category) order: a GroupAggregate
-- over an index-only scan, instead of a parallel sequential scan of the table (~60-100 ms) or hashing two text
-- columns per row of events_upcoming_idx (~30-45 ms); about 9 ms. Browsing a city (and category) by date is a
-- range of it in start order.
CREATE INDEX IF NOT EXISTS "events_facets_idx" ON "events" USING btree ("city", "category", "starts_at")
  INCLUDE ("timezone", "min_price_minor", "max_price_minor")
  WHERE "status" = 'published';
