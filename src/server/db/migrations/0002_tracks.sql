-- Live tracks: the current state of each track (one row per uid) and the history of its
-- position reports. Both are marked and filtered by row-level security like every marked table.

CREATE TABLE tracks (
  uid text PRIMARY KEY CHECK (uid ~ '^[A-Za-z0-9._:-]{1,100}$'),
  kind text NOT NULL,
  affiliation text NOT NULL,
  sidc text NOT NULL,
  callsign text NOT NULL,
  -- The reporter's organisation owns the uid: nobody else may move its track.
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  source text,
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  alt double precision,
  course double precision,
  speed double precision,
  accuracy double precision,
  footprint jsonb,
  observed_at timestamptz NOT NULL,
  stale_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}',
  version integer NOT NULL DEFAULT 1
);
-- The stale sweep and the "not stale" filter of every list and live snapshot.
CREATE INDEX tracks_stale_at ON tracks (stale_at);

-- History: one row per distinct observation. A plain table for now; partitioning by day can
-- come later without changing the writers (they insert in batches through unnest).
-- No foreign key to tracks, so that history can later live in partitions or elsewhere.
CREATE TABLE track_positions (
  uid text NOT NULL,
  observed_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  alt double precision,
  course double precision,
  speed double precision,
  accuracy double precision,
  footprint jsonb,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);
-- Unique so that a repeated report (same uid and observedAt) is ignored with ON CONFLICT DO NOTHING;
-- it is also the index of history queries.
CREATE UNIQUE INDEX track_positions_uid_observed ON track_positions (uid, observed_at);

ALTER TABLE tracks ENABLE ROW LEVEL SECURITY;
ALTER TABLE tracks FORCE ROW LEVEL SECURITY;
CREATE POLICY tracks_access ON tracks
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

ALTER TABLE track_positions ENABLE ROW LEVEL SECURITY;
ALTER TABLE track_positions FORCE ROW LEVEL SECURITY;
CREATE POLICY track_positions_access ON track_positions
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

GRANT SELECT, INSERT, UPDATE ON tracks TO concord_app;
GRANT SELECT, INSERT ON track_positions TO concord_app;
