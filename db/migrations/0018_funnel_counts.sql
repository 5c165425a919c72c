CREATE TABLE "funnel_counts" (
	"event_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"page_views" integer DEFAULT 0 NOT NULL,
	"queue_joins" integer DEFAULT 0 NOT NULL,
	"admissions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "funnel_counts_event_id_minute_pk" PRIMARY KEY("event_id","minute")
);
--> statement-breakpoint
ALTER TABLE "funnel_counts" ADD CONSTRAINT "funnel_counts_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;
