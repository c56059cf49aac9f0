-- Humanitarian access: facilities, deconfliction notifications and their answers, consignments and
-- convoys, crossings with their status and counts, and import jobs. Every record is marked and
-- filtered by row-level security; histories are append-only.

CREATE TABLE facilities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('warehouse', 'distribution-point', 'clinic', 'hospital', 'shelter',
    'bakery', 'water-point')),
  operator text NOT NULL,
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  status text NOT NULL CHECK (status IN ('operational', 'partially-operational', 'not-operational', 'damaged')),
  notes text,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);

-- A deconfliction notification: a static site or a movement, told to the parties' militaries.
CREATE TABLE aid_notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number bigserial UNIQUE,
  kind text NOT NULL CHECK (kind IN ('static-site', 'movement')),
  title text NOT NULL,
  priority text NOT NULL CHECK (priority IN ('routine', 'emergency')),
  notice_only boolean NOT NULL,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  geometry jsonb NOT NULL,
  -- Coarse filter for correlation with incidents and alerts; exact checks run in process.
  bbox box NOT NULL,
  facility_id uuid REFERENCES facilities(id),
  window_start timestamptz NOT NULL,
  window_end timestamptz,
  vehicles integer,
  personnel integer,
  parties text[] NOT NULL CHECK (cardinality(parties) > 0),
  details text,
  state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'transmitted', 'acknowledged',
    'facilitated', 'partially-facilitated', 'denied', 'postponed', 'cancelled', 'en-route', 'impeded', 'completed')),
  lead_time_warning text,
  submitted_at timestamptz,
  transmitted_at timestamptz,
  answer_due_at timestamptz,
  delay_minutes integer,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}',
  CHECK (window_end IS NULL OR window_end > window_start)
);
CREATE INDEX aid_notifications_state ON aid_notifications (state, answer_due_at);
CREATE INDEX aid_notifications_bbox ON aid_notifications USING gist (bbox);

-- Every answer and transition of a notification, by whom, for which party; append-only.
CREATE TABLE aid_notification_actions (
  id bigserial PRIMARY KEY,
  notification_id uuid NOT NULL REFERENCES aid_notifications(id),
  action text NOT NULL,
  from_state text,
  to_state text NOT NULL,
  party text,
  reason text,
  actor uuid REFERENCES users(id),
  at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX aid_notification_actions_n ON aid_notification_actions (notification_id, id);

-- A crossing: the zone of kind crossing it is drawn as, its status and daily truck target.
CREATE TABLE crossings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  zone_id uuid REFERENCES zones(id),
  lon double precision NOT NULL,
  lat double precision NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'restricted', 'closed')),
  reason text,
  opens_at text,
  closes_at text,
  status_until timestamptz,
  daily_truck_target integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE crossing_status_history (
  id bigserial PRIMARY KEY,
  crossing_id uuid NOT NULL REFERENCES crossings(id),
  status text NOT NULL,
  reason text,
  opens_at text,
  closes_at text,
  status_until timestamptz,
  actor uuid REFERENCES users(id),
  at timestamptz NOT NULL DEFAULT now(),
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE consignments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number bigserial UNIQUE,
  reference text,
  requesting_organisation_id uuid NOT NULL REFERENCES organisations(id),
  donor text,
  corridor text,
  crossing_id uuid NOT NULL REFERENCES crossings(id),
  pallets integer NOT NULL CHECK (pallets >= 0),
  tonnes double precision NOT NULL CHECK (tonnes >= 0),
  trucks integer NOT NULL CHECK (trucks >= 0),
  state text NOT NULL DEFAULT 'registered' CHECK (state IN ('registered', 'cleared', 'partially-cleared',
    'rejected', 'dispatched', 'queued-at-crossing', 'screened', 'offloaded', 'collected', 'in-transit',
    'delivered', 'partially-received', 'intercepted', 'returned')),
  state_reason text,
  -- When it entered its current state; the day a crossing's throughput counts it.
  state_at timestamptz NOT NULL DEFAULT now(),
  convoy_id uuid,
  import_job_id uuid,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX consignments_state ON consignments (state, state_at);
CREATE INDEX consignments_crossing ON consignments (crossing_id, state_at);

CREATE TABLE consignment_items (
  id bigserial PRIMARY KEY,
  consignment_id uuid NOT NULL REFERENCES consignments(id),
  category text NOT NULL CHECK (category IN ('food', 'water', 'health', 'shelter', 'fuel', 'wash', 'education', 'other')),
  description text NOT NULL,
  quantity double precision NOT NULL CHECK (quantity > 0),
  unit text NOT NULL,
  dual_use boolean NOT NULL DEFAULT false,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX consignment_items_consignment ON consignment_items (consignment_id);

CREATE TABLE consignment_actions (
  id bigserial PRIMARY KEY,
  consignment_id uuid NOT NULL REFERENCES consignments(id),
  from_state text,
  to_state text NOT NULL,
  reason text,
  actor uuid REFERENCES users(id),
  at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX consignment_actions_c ON consignment_actions (consignment_id, id);

CREATE TABLE convoys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  notification_id uuid REFERENCES aid_notifications(id),
  track_uid text,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);
ALTER TABLE consignments ADD CONSTRAINT consignments_convoy FOREIGN KEY (convoy_id) REFERENCES convoys(id);

-- Figures for one day and crossing from one source, each with its counting rule, scope and unit.
CREATE TABLE crossing_counts (
  id bigserial PRIMARY KEY,
  crossing_id uuid NOT NULL REFERENCES crossings(id),
  day date NOT NULL,
  source text NOT NULL,
  rule text NOT NULL CHECK (rule IN ('screened', 'collected', 'at-warehouse')),
  scope text NOT NULL,
  unit text NOT NULL CHECK (unit IN ('trucks', 'tonnes', 'pallets')),
  value double precision NOT NULL CHECK (value >= 0),
  entered_by uuid REFERENCES users(id),
  entered_at timestamptz NOT NULL DEFAULT now(),
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}',
  UNIQUE (crossing_id, day, source, rule, scope, unit)
);

-- An import of a CSV with an HXL hashtag row: progress and the per-row errors.
CREATE TABLE import_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL,
  filename text,
  state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
  total_rows integer NOT NULL DEFAULT 0,
  processed_rows integer NOT NULL DEFAULT 0,
  imported_rows integer NOT NULL DEFAULT 0,
  -- [{row, column?, reason}] in row order.
  errors jsonb NOT NULL DEFAULT '[]',
  started_by uuid REFERENCES users(id),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['facilities', 'aid_notifications', 'aid_notification_actions', 'crossings',
    'crossing_status_history', 'consignments', 'consignment_items', 'consignment_actions', 'convoys',
    'crossing_counts', 'import_jobs']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (concord_can_see(classification, releasable_to, caveats))
      WITH CHECK (concord_can_see(classification, releasable_to, caveats))', t || '_access', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON facilities, aid_notifications, crossings, consignments, convoys,
  import_jobs TO concord_app;
GRANT SELECT, INSERT ON aid_notification_actions, crossing_status_history, consignment_items,
  consignment_actions TO concord_app;
GRANT SELECT, INSERT, UPDATE ON crossing_counts TO concord_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO concord_app;
