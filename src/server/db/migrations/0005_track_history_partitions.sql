-- Position history partitioned by day (UTC), so that retention drops whole days and queries of a
-- window touch only its days. Times outside the prepared days land in a default partition; a
-- day's partition, when created later, takes its rows from there.

ALTER TABLE track_positions RENAME TO track_positions_unpartitioned;
ALTER INDEX track_positions_uid_observed RENAME TO track_positions_unpartitioned_uid_observed;

CREATE TABLE track_positions (LIKE track_positions_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
  PARTITION BY RANGE (observed_at);
-- Unique so that a repeated report (same uid and observedAt) is ignored with ON CONFLICT DO NOTHING;
-- it includes the partition key, as PostgreSQL requires, and serves history queries.
CREATE UNIQUE INDEX track_positions_uid_observed ON track_positions (uid, observed_at);
CREATE TABLE track_positions_default PARTITION OF track_positions DEFAULT;

-- Queries go through the parent, whose policy applies; each partition is locked down as well, so
-- that no marked table anywhere lacks row-level security (the start-up check insists).
CREATE FUNCTION concord_protect_partition(name text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
  EXECUTE format('CREATE POLICY %I ON %I USING (concord_can_see(classification, releasable_to, caveats))
    WITH CHECK (concord_can_see(classification, releasable_to, caveats))', name || '_access', name);
END $$;
SELECT concord_protect_partition('track_positions_default');

-- Creates the daily partitions from first_day to last_day (UTC) that are missing, moving any rows
-- of those days out of the default partition first. Returns how many it created.
CREATE FUNCTION concord_ensure_position_partitions(first_day date, last_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  d date;
  lo timestamptz;
  hi timestamptz;
  name text;
  made integer := 0;
BEGIN
  FOR d IN SELECT generate_series(first_day, last_day, interval '1 day')::date LOOP
    name := 'track_positions_' || to_char(d, 'YYYYMMDD');
    CONTINUE WHEN to_regclass(name) IS NOT NULL;
    lo := d::timestamp AT TIME ZONE 'UTC';
    hi := (d + 1)::timestamp AT TIME ZONE 'UTC';
    EXECUTE format('CREATE TABLE %I (LIKE track_positions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
    PERFORM concord_protect_partition(name);
    EXECUTE format(
      'WITH moved AS (DELETE FROM track_positions_default WHERE observed_at >= %L AND observed_at < %L RETURNING *)
       INSERT INTO %I SELECT * FROM moved', lo, hi, name);
    EXECUTE format('ALTER TABLE track_positions ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
    made := made + 1;
  END LOOP;
  RETURN made;
END $$;

-- Retention: drops the daily partitions before the given day and the default partition's rows
-- before it. Returns how many partitions it dropped.
CREATE FUNCTION concord_drop_position_history(before_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  part text;
  dropped integer := 0;
BEGIN
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'track_positions'::regclass AND c.relname ~ '^track_positions_[0-9]{8}$'
      AND to_date(substring(c.relname from '[0-9]{8}$'), 'YYYYMMDD') < before_day
  LOOP
    EXECUTE format('DROP TABLE %I', part);
    dropped := dropped + 1;
  END LOOP;
  DELETE FROM track_positions_default WHERE observed_at < (before_day::timestamp AT TIME ZONE 'UTC');
  RETURN dropped;
END $$;

-- Days around today, and the days of the history kept so far (at most a month back; older rows
-- stay in the default partition until retention removes them).
SELECT concord_ensure_position_partitions(greatest(coalesce(first_day, today), today - 31) - 1, today + 2)
FROM (
  SELECT min(observed_at AT TIME ZONE 'UTC')::date AS first_day, (now() AT TIME ZONE 'UTC')::date AS today
  FROM track_positions_unpartitioned
) AS history;
INSERT INTO track_positions SELECT * FROM track_positions_unpartitioned;
DROP TABLE track_positions_unpartitioned;

ALTER TABLE track_positions ENABLE ROW LEVEL SECURITY;
ALTER TABLE track_positions FORCE ROW LEVEL SECURITY;
CREATE POLICY track_positions_access ON track_positions
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));
GRANT SELECT, INSERT ON track_positions TO concord_app;

-- The current state of tracks lives in memory (ADR 0007) and its row is rewritten about once a
-- second per moving track: no index on what changes (stale_at, updated_at), and room on each page,
-- so that those updates stay HOT (no index maintenance). The stale sweep runs in memory; followers
-- of other processes scan by updated_at, which is rare and cheap at this table's size.
DROP INDEX tracks_stale_at;
ALTER TABLE tracks SET (fillfactor = 70);
