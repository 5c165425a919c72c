ALTER TABLE "holds" DROP CONSTRAINT "holds_seat_count_check";--> statement-breakpoint
ALTER TABLE "availability_changes" ADD COLUMN "held_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "holds" ADD COLUMN "seat_ids" bigint[] NOT NULL;--> statement-breakpoint
CREATE INDEX "availability_changes_created_idx" ON "availability_changes" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_seat_count_check" CHECK ("holds"."seat_count" >= 1 and "holds"."seat_count" = cardinality("holds"."seat_ids"));