-- Event currencies (docs/decisions/045-currencies.md): an event is priced in one of the currencies whose minor
-- digits ISO 4217, Intl and Stripe agree on (lib/contracts/currency.ts). Every amount stays integer minor units of
-- it: cents for EUR, whole yen for JPY. Pricing, tax and refunds in SQL (price_order_lines, div_half_even, the refund
-- trigger) already work in those units and round to the currency's smallest unit, so only the list is new here.
-- A database with an event in another currency stops this migration: change that event's currency first.
ALTER TABLE "events" DROP CONSTRAINT "events_currency_check";--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_currency_check" CHECK ("events"."currency" in ('USD', 'EUR', 'GBP', 'JPY', 'KRW', 'CAD', 'AUD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'SGD', 'HKD', 'MXN', 'BRL', 'INR', 'ZAR'));--> statement-breakpoint
-- A price filter's bound depends on the row's currency (x100 or x1, lib/catalog/search-events.ts): the covering
-- indexes of migration 0007 carry the currency too, so the filters still read index tuples only.
DROP INDEX IF EXISTS "events_upcoming_idx";--> statement-breakpoint
CREATE INDEX "events_upcoming_idx" ON "events" USING btree ("starts_at", "id")
  INCLUDE ("city", "category", "timezone", "min_price_minor", "max_price_minor", "currency")
  WHERE "status" = 'published';--> statement-breakpoint
DROP INDEX IF EXISTS "events_facets_idx";--> statement-breakpoint
CREATE INDEX "events_facets_idx" ON "events" USING btree ("city", "category", "starts_at")
  INCLUDE ("timezone", "min_price_minor", "max_price_minor", "currency")
  WHERE "status" = 'published';
