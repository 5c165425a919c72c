ALTER TABLE "price_tiers" ADD COLUMN "hidden" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE TABLE "presales" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"admission_rate_per_minute" integer DEFAULT 60 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "presales_window_check" CHECK ("presales"."starts_at" < "presales"."ends_at"),
	CONSTRAINT "presales_rate_check" CHECK ("presales"."admission_rate_per_minute" >= 1)
);
--> statement-breakpoint
CREATE TABLE "access_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"code" text NOT NULL,
	"presale_id" uuid,
	"unlocks_tier_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"max_uses" integer NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"per_account_limit" integer DEFAULT 4 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "access_codes_event_code_unique" UNIQUE("event_id","code"),
	CONSTRAINT "access_codes_uses_check" CHECK ("access_codes"."uses" >= 0 and "access_codes"."uses" <= "access_codes"."max_uses"),
	CONSTRAINT "access_codes_max_uses_check" CHECK ("access_codes"."max_uses" >= 1),
	CONSTRAINT "access_codes_per_account_check" CHECK ("access_codes"."per_account_limit" between 1 and 50),
	CONSTRAINT "access_codes_code_check" CHECK ("access_codes"."code" ~ '^[A-Z0-9-]{4,32}$'),
	CONSTRAINT "access_codes_unlocks_check" CHECK ("access_codes"."presale_id" is not null or cardinality("access_codes"."unlocks_tier_ids") > 0)
);
--> statement-breakpoint
CREATE TABLE "access_code_redemptions" (
	"code_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"event_id" uuid NOT NULL,
	"redeemed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_code_redemptions_code_id_user_id_pk" PRIMARY KEY("code_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "presales" ADD CONSTRAINT "presales_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_codes" ADD CONSTRAINT "access_codes_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_codes" ADD CONSTRAINT "access_codes_presale_id_presales_id_fk" FOREIGN KEY ("presale_id") REFERENCES "public"."presales"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_code_redemptions" ADD CONSTRAINT "access_code_redemptions_code_id_access_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."access_codes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_code_redemptions" ADD CONSTRAINT "access_code_redemptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_code_redemptions" ADD CONSTRAINT "access_code_redemptions_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "presales_event_idx" ON "presales" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "access_code_redemptions_user_event_idx" ON "access_code_redemptions" USING btree ("user_id","event_id");--> statement-breakpoint
-- A presale hold is a hold before the general on-sale: hold_seats() must let it through for an account that
-- redeemed a code of a presale whose window is open, and only then. This amends whatever hold_seats() is current
-- (migration 0012 may have rewritten it) in its one on-sale predicate, rather than replacing the function, and fails
-- loudly if that predicate is no longer there to amend (decision 041).
DO $$
DECLARE
  v_def text;
  v_patched text;
  v_fn oid;
  v_found int := 0;
BEGIN
  FOR v_fn IN SELECT p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = 'hold_seats' AND n.nspname = current_schema() LOOP
    v_def := pg_get_functiondef(v_fn);
    v_patched := replace(v_def, 'e.on_sale_at <= p_now',
      '(e.on_sale_at <= p_now OR EXISTS (SELECT 1 FROM access_code_redemptions r JOIN access_codes c ON c.id = r.code_id JOIN presales ps ON ps.id = c.presale_id WHERE r.user_id = p_user AND r.event_id = p_event AND c.disabled_at IS NULL AND ps.starts_at <= p_now AND ps.ends_at > p_now))');
    IF v_patched = v_def THEN
      RAISE EXCEPTION 'migration 0016: hold_seats() has no "e.on_sale_at <= p_now" predicate to amend';
    END IF;
    EXECUTE v_patched;
    v_found := v_found + 1;
  END LOOP;
  IF v_found = 0 THEN
    RAISE EXCEPTION 'migration 0016: no hold_seats() function to amend';
  END IF;
END
$$;
