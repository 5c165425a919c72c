CREATE TABLE "gates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gates_name_check" CHECK (char_length("gates"."name") between 1 and 40)
);
--> statement-breakpoint
CREATE TABLE "scanner_devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"gate_id" uuid NOT NULL,
	"label" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	CONSTRAINT "scanner_devices_label_check" CHECK (char_length("scanner_devices"."label") between 1 and 40)
);
--> statement-breakpoint
CREATE TABLE "offline_scans" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "offline_scans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"local_id" uuid NOT NULL,
	"gate" text NOT NULL,
	"device_id" uuid,
	"actor_id" text,
	"scanned_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"first_admitted_at" timestamp with time zone,
	"first_gate" text,
	CONSTRAINT "offline_scans_outcome_check" CHECK ("offline_scans"."outcome" in ('admitted', 'conflict', 'refused'))
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "admitted_gate" text;--> statement-breakpoint
ALTER TABLE "gates" ADD CONSTRAINT "gates_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scanner_devices" ADD CONSTRAINT "scanner_devices_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scanner_devices" ADD CONSTRAINT "scanner_devices_gate_id_gates_id_fk" FOREIGN KEY ("gate_id") REFERENCES "public"."gates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scanner_devices" ADD CONSTRAINT "scanner_devices_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_scans" ADD CONSTRAINT "offline_scans_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_scans" ADD CONSTRAINT "offline_scans_device_id_scanner_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."scanner_devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offline_scans" ADD CONSTRAINT "offline_scans_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "gates_event_name_unique" ON "gates" USING btree ("event_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "scanner_devices_token_unique" ON "scanner_devices" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "scanner_devices_event_idx" ON "scanner_devices" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "offline_scans_local_unique" ON "offline_scans" USING btree ("event_id","local_id");--> statement-breakpoint
CREATE INDEX "offline_scans_flagged_idx" ON "offline_scans" USING btree ("event_id") WHERE "offline_scans"."outcome" <> 'admitted';--> statement-breakpoint
CREATE INDEX "tickets_event_status_idx" ON "tickets" USING btree ("event_id","status");
