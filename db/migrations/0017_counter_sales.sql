-- Counter sales (issue 18, item 4; docs/decisions/042-counter-sales.md): a payment taken at the venue's counter is
-- provider 'counter', its method cash or card_present, the staff member who took it, and for cash what was handed
-- over and given back; a same-day void is a refund 'counter_void' naming who paid the money out.
ALTER TABLE "payments" DROP CONSTRAINT "payments_provider_check";--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_provider_check" CHECK ("payments"."provider" in ('stripe', 'simulated', 'counter'));--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "taken_by" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "tendered_minor" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "change_minor" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "terminal_reference" text;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_taken_by_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_counter_check" CHECK (("payments"."provider" = 'counter') = ("payments"."taken_by" is not null) and ("payments"."provider" <> 'counter' or "payments"."payment_method" in ('cash', 'card_present')));--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_cash_check" CHECK (case when "payments"."provider" = 'counter' and "payments"."payment_method" = 'cash' then "payments"."tendered_minor" >= "payments"."amount_minor" and "payments"."change_minor" = "payments"."tendered_minor" - "payments"."amount_minor" else "payments"."tendered_minor" is null and "payments"."change_minor" is null end);--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_card_present_check" CHECK (("payments"."provider" = 'counter' and "payments"."payment_method" = 'card_present') = ("payments"."terminal_reference" is not null));--> statement-breakpoint
CREATE INDEX "payments_taken_by_idx" ON "payments" USING btree ("taken_by","created_at") WHERE "payments"."taken_by" is not null;--> statement-breakpoint
ALTER TABLE "refunds" DROP CONSTRAINT "refunds_reason_check";--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_reason_check" CHECK ("refunds"."reason" in ('requested_by_customer', 'seats_lost', 'event_cancelled', 'duplicate', 'admin', 'counter_void'));--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "paid_out_by" text;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_paid_out_by_users_id_fk" FOREIGN KEY ("paid_out_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_counter_void_check" CHECK (("refunds"."reason" = 'counter_void') = ("refunds"."paid_out_by" is not null));--> statement-breakpoint
CREATE INDEX "refunds_paid_out_by_idx" ON "refunds" USING btree ("paid_out_by","created_at") WHERE "refunds"."paid_out_by" is not null;
