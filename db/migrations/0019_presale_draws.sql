CREATE TABLE "presale_draws" (
	"presale_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"seed_commitment" text NOT NULL,
	"seed" text NOT NULL,
	"committed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"drawn_at" timestamp with time zone,
	"entrant_count" integer,
	"entries" jsonb
);
--> statement-breakpoint
ALTER TABLE "presale_draws" ADD CONSTRAINT "presale_draws_presale_id_presales_id_fk" FOREIGN KEY ("presale_id") REFERENCES "public"."presales"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "presale_draws" ADD CONSTRAINT "presale_draws_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "presale_draws_event_idx" ON "presale_draws" USING btree ("event_id");
