ALTER TABLE "payments" ADD COLUMN "wallet" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "card_brand" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "card_last4" text;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_card_last4_check" CHECK ("payments"."card_last4" ~ '^[0-9]{4}$');--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_method_details_check" CHECK (length("payments"."wallet") <= 32 and length("payments"."card_brand") <= 32);
