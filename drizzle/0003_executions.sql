-- Executions: every run of a flow (incoming calls, outgoing deliveries, dry runs and
-- replays). The incoming and outgoing logs are views of this table. Partitioned by
-- month from the start, so pruning old logs is DROP TABLE of a partition, not a
-- DELETE that bloats the table. A DEFAULT partition means a row is never refused
-- for want of a partition. Custom migration: drizzle-kit cannot express partitioning.
CREATE TABLE IF NOT EXISTS executions (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  started_at timestamptz NOT NULL DEFAULT now(),
  direction text NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  mode text NOT NULL DEFAULT 'live' CHECK (mode IN ('live', 'dry', 'replay')),
  flow_id uuid,
  flow_slug text,
  flow_version integer,
  request_id text,
  client_id uuid,
  client_name text,
  connection_name text,
  status text NOT NULL,
  http_status integer,
  error_code text,
  error_message text,
  record_entity text,
  record_id text,
  reference_id text,
  duration_ms double precision,
  request jsonb,
  response jsonb,
  trace jsonb,
  attempts integer NOT NULL DEFAULT 1,
  replay_of uuid,
  PRIMARY KEY (id, started_at)
) PARTITION BY RANGE (started_at);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS executions_default PARTITION OF executions DEFAULT;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_direction_time_idx ON executions (direction, started_at DESC, id DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_flow_time_idx ON executions (flow_slug, started_at DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_record_id_idx ON executions (record_id) WHERE record_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_request_id_idx ON executions (request_id) WHERE request_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_reference_id_idx ON executions (reference_id) WHERE reference_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS executions_error_code_idx ON executions (error_code, started_at DESC) WHERE error_code IS NOT NULL;
--> statement-breakpoint
-- Creates the monthly partitions from `from_month` for `months` months (idempotent).
-- Called at start-up and daily by the worker (server/executions/partitions.ts).
CREATE OR REPLACE FUNCTION ensure_execution_partitions(from_month date, months integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  m date;
  created integer := 0;
  part text;
BEGIN
  FOR i IN 0..months - 1 LOOP
    m := (date_trunc('month', from_month) + make_interval(months => i))::date;
    part := 'executions_' || to_char(m, 'YYYY_MM');
    IF to_regclass(part) IS NULL THEN
      BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF executions FOR VALUES FROM (%L) TO (%L)',
                       part, m, (m + interval '1 month')::date);
        created := created + 1;
      EXCEPTION WHEN duplicate_table THEN
        NULL; -- created concurrently by another process
      WHEN others THEN
        -- rows for this month already sit in the DEFAULT partition: leave them there
        RAISE NOTICE 'could not create partition %: %', part, SQLERRM;
      END;
    END IF;
  END LOOP;
  RETURN created;
END $$;
--> statement-breakpoint
SELECT ensure_execution_partitions((now() - interval '1 month')::date, 4);
