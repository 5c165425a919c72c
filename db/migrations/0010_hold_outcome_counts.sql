CREATE TABLE "hold_outcome_counts" (
	"event_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"granted" integer DEFAULT 0 NOT NULL,
	"conflicts" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "hold_outcome_counts_event_id_minute_pk" PRIMARY KEY("event_id","minute")
);
--> statement-breakpoint
ALTER TABLE "hold_outcome_counts" ADD CONSTRAINT "hold_outcome_counts_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;