-- Ceasefire monitoring: incidents, the reports they gather, their timeline, and their evidence with
-- its chain of custody. Every table is marked and filtered by row-level security. Nothing here is
-- ever deleted: a merge moves reports and marks the duplicate, a finding is superseded, not erased.

CREATE SEQUENCE incident_number_seq;

CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Shown as INC-000123.
  number bigint NOT NULL UNIQUE DEFAULT nextval('incident_number_seq'),
  title text NOT NULL,
  category text NOT NULL,
  subtype text NOT NULL,
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'triaged', 'under-verification',
    'peer-review', 'assessed', 'parties-notified', 'response-received', 'closed', 'merged')),
  observed_at timestamptz NOT NULL,
  observed_to timestamptz,
  time_precision text NOT NULL CHECK (time_precision IN ('minute', 'hour', 'day')),
  -- The representative point; area holds the polygon when the place is an area.
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  area jsonb,
  location_precision text NOT NULL CHECK (location_precision IN ('exact', 'near', 'area')),
  governorate text,
  -- The control line in force at the observed time, and the side of it the incident lies on.
  line_zone_id uuid,
  line_version integer,
  line_side text CHECK (line_side IN ('left', 'right')),
  line_distance_m double precision,
  alleging_party text,
  accused_party text NOT NULL,
  -- {killedCivilians, killedUnknown, injuredCivilians, injuredUnknown}: the centre's best figure.
  casualties jsonb NOT NULL,
  analyst uuid REFERENCES users(id),
  reviewer uuid REFERENCES users(id),
  finding text CHECK (finding IN ('confirmed', 'partially-confirmed', 'unsubstantiated', 'cannot-determine', 'refuted')),
  rationale text,
  assessed_at timestamptz,
  approved_at timestamptz,
  notified_parties text[] NOT NULL DEFAULT '{}',
  notified_at timestamptz,
  duplicate_of uuid REFERENCES incidents(id),
  source_alert_id uuid REFERENCES alerts(id),
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}',
  CHECK (observed_to IS NULL OR observed_to >= observed_at)
);
CREATE INDEX incidents_observed ON incidents (observed_at DESC);
CREATE INDEX incidents_status ON incidents (status, observed_at DESC);
-- One automatic incident per alert.
CREATE UNIQUE INDEX incidents_source_alert ON incidents (source_alert_id) WHERE source_alert_id IS NOT NULL;

-- What each reporter said, kept as said.
CREATE TABLE incident_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents(id),
  reporter_kind text NOT NULL CHECK (reporter_kind IN ('party', 'monitor', 'un', 'osint', 'sensor')),
  reporter_name text,
  submitted_by uuid REFERENCES users(id),
  organisation_id uuid REFERENCES organisations(id),
  alleging_party text,
  accused_party text NOT NULL,
  observed_at timestamptz NOT NULL,
  observed_to timestamptz,
  time_precision text NOT NULL CHECK (time_precision IN ('minute', 'hour', 'day')),
  location jsonb NOT NULL,
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  location_precision text NOT NULL CHECK (location_precision IN ('exact', 'near', 'area')),
  place_name text,
  category text NOT NULL,
  subtype text NOT NULL,
  casualties jsonb NOT NULL,
  narrative text NOT NULL,
  reliability text CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
  credibility smallint CHECK (credibility BETWEEN 1 AND 6),
  received_at timestamptz NOT NULL DEFAULT now(),
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_reports_incident ON incident_reports (incident_id, received_at);
CREATE INDEX incident_reports_observed ON incident_reports (observed_at);

-- The timeline: every transition and edit, timestamped and attributed; append-only. A party's
-- answer is a 'record-response' entry with its party and text (note).
CREATE TABLE incident_actions (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents(id),
  action text NOT NULL,
  from_status text,
  to_status text,
  actor uuid REFERENCES users(id),
  at timestamptz NOT NULL DEFAULT now(),
  note text,
  party text,
  -- The incident's version after this entry.
  version integer NOT NULL,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_actions_incident ON incident_actions (incident_id, id);

-- Evidence: a file (stored content-addressed by SHA-256 outside the database), a track segment or
-- an alert, each under its own marking.
CREATE TABLE evidence (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents(id),
  kind text NOT NULL CHECK (kind IN ('file', 'track-segment', 'alert')),
  sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  filename text,
  media_type text,
  size_bytes bigint CHECK (size_bytes >= 0),
  description text,
  track_uid text,
  segment_from timestamptz,
  segment_to timestamptz,
  alert_id uuid REFERENCES alerts(id),
  added_by uuid REFERENCES users(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}',
  CHECK (kind <> 'file' OR (sha256 IS NOT NULL AND size_bytes IS NOT NULL)),
  CHECK (kind <> 'track-segment' OR (track_uid IS NOT NULL AND segment_from IS NOT NULL AND segment_to IS NOT NULL)),
  CHECK (kind <> 'alert' OR alert_id IS NOT NULL)
);
CREATE INDEX evidence_incident ON evidence (incident_id, added_at);
CREATE INDEX evidence_sha256 ON evidence (sha256);

-- Chain of custody: who held an item, when, and what they did with it; append-only. sha256 is the
-- hash computed at that moment, so a later mismatch shows when the file changed.
CREATE TABLE evidence_custody (
  id bigserial PRIMARY KEY,
  evidence_id uuid NOT NULL REFERENCES evidence(id),
  action text NOT NULL,
  actor uuid REFERENCES users(id),
  -- Who holds the item after this entry (a person, unit or store), when it changes hands.
  holder text,
  at timestamptz NOT NULL DEFAULT now(),
  note text,
  sha256 text,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX evidence_custody_evidence ON evidence_custody (evidence_id, id);

ALTER TABLE incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE incidents FORCE ROW LEVEL SECURITY;
CREATE POLICY incidents_access ON incidents
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

ALTER TABLE incident_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_reports FORCE ROW LEVEL SECURITY;
CREATE POLICY incident_reports_access ON incident_reports
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

ALTER TABLE incident_actions ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_actions FORCE ROW LEVEL SECURITY;
CREATE POLICY incident_actions_access ON incident_actions
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

ALTER TABLE evidence ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence FORCE ROW LEVEL SECURITY;
CREATE POLICY evidence_access ON evidence
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

ALTER TABLE evidence_custody ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence_custody FORCE ROW LEVEL SECURITY;
CREATE POLICY evidence_custody_access ON evidence_custody
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

-- Requests open and update incidents, add reports (a merge moves them: UPDATE incident_id), append
-- to timelines and custody, and attach evidence; nothing is deleted.
GRANT SELECT, INSERT, UPDATE ON incidents TO concord_app;
GRANT SELECT, INSERT, UPDATE ON incident_reports TO concord_app;
GRANT SELECT, INSERT ON incident_actions TO concord_app;
GRANT SELECT, INSERT, UPDATE ON evidence TO concord_app;
GRANT SELECT, INSERT ON evidence_custody TO concord_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO concord_app;
