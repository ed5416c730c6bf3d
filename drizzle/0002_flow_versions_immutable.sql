-- Published flow versions are immutable: rollback means publishing an older version again.
CREATE OR REPLACE FUNCTION flow_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published flow versions are immutable';
END $$;
--> statement-breakpoint
CREATE TRIGGER flow_versions_no_update BEFORE UPDATE ON flow_versions FOR EACH ROW EXECUTE FUNCTION flow_versions_immutable();
