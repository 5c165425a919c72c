CREATE TABLE "ticket_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"from_user_id" text NOT NULL,
	"to_email" text NOT NULL,
	"token_hash" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"claimed_ticket_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "ticket_transfers_status_check" CHECK ("ticket_transfers"."status" in ('pending', 'claimed', 'cancelled')),
	CONSTRAINT "ticket_transfers_resolved_check" CHECK (("ticket_transfers"."status" = 'pending') = ("ticket_transfers"."resolved_at" is null)),
	CONSTRAINT "ticket_transfers_claimed_check" CHECK (("ticket_transfers"."status" = 'claimed') = ("ticket_transfers"."claimed_ticket_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "ticket_transfers" ADD CONSTRAINT "ticket_transfers_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_transfers" ADD CONSTRAINT "ticket_transfers_from_user_id_users_id_fk" FOREIGN KEY ("from_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_transfers_pending_ticket_unique" ON "ticket_transfers" USING btree ("ticket_id") WHERE "ticket_transfers"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_transfers_token_unique" ON "ticket_transfers" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "ticket_transfers_to_email_idx" ON "ticket_transfers" USING btree ("to_email") WHERE "ticket_transfers"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "ticket_transfers_from_idx" ON "ticket_transfers" USING btree ("from_user_id");