-- Alerts: what the geofence engine raised, what people did about it, and who is told by webhook.
-- Alerts and their actions are marked and filtered by row-level security like every marked table;
-- webhooks and their deliveries are read only by their owner (or an administrator) through the service.

CREATE TABLE alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trigger text NOT NULL CHECK (trigger IN ('enter', 'exit', 'cross', 'approach', 'dwell')),
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  summary text NOT NULL,
  track_uid text NOT NULL,
  track_callsign text NOT NULL,
  track_kind text NOT NULL,
  track_affiliation text NOT NULL,
  zone_id uuid NOT NULL,
  zone_version integer NOT NULL,
  zone_name text NOT NULL,
  zone_kind text NOT NULL,
  -- The positions that triggered it, oldest first: [{lon, lat, t}] with t in epoch ms.
  positions jsonb NOT NULL,
  -- The triggering (last) position.
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  -- Observation time of the triggering report; raised_at is when Concord stored it.
  at timestamptz NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
  acknowledged_by uuid REFERENCES users(id),
  acknowledged_at timestamptz,
  assignee uuid REFERENCES users(id),
  resolved_by uuid REFERENCES users(id),
  resolved_at timestamptz,
  note text,
  version integer NOT NULL DEFAULT 1,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);
-- Lists: by status, newest first.
CREATE INDEX alerts_status_at ON alerts (status, at DESC);
CREATE INDEX alerts_at ON alerts (at DESC);
-- The dedup check of raise() and the filters by track and zone.
CREATE INDEX alerts_track_zone ON alerts (track_uid, zone_id, trigger, at);
CREATE INDEX alerts_zone ON alerts (zone_id, at DESC);

-- The timeline of an alert: append-only, one row per thing that happened to it, under its marking.
CREATE TABLE alert_actions (
  id bigserial PRIMARY KEY,
  alert_id uuid NOT NULL REFERENCES alerts(id),
  action text NOT NULL CHECK (action IN ('raised', 'acknowledged', 'assigned', 'resolved', 'reopened')),
  actor uuid REFERENCES users(id),
  at timestamptz NOT NULL DEFAULT now(),
  assignee uuid REFERENCES users(id),
  note text,
  -- The alert's version after this action.
  version integer NOT NULL,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX alert_actions_alert ON alert_actions (alert_id, id);

CREATE TABLE alert_webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner uuid NOT NULL REFERENCES users(id),
  url text NOT NULL,
  -- Kept as is: the HMAC of each delivery needs the secret itself, not a hash of it.
  secret text NOT NULL,
  min_severity text NOT NULL DEFAULT 'info' CHECK (min_severity IN ('info', 'warning', 'critical')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_webhooks_owner ON alert_webhooks (owner);

CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  webhook_id uuid NOT NULL REFERENCES alert_webhooks(id) ON DELETE CASCADE,
  alert_id uuid NOT NULL REFERENCES alerts(id),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  gave_up_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (webhook_id, alert_id)
);
-- The worker's queue: what is still to be tried, soonest first.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
  WHERE delivered_at IS NULL AND gave_up_at IS NULL;

ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY alerts_access ON alerts
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

ALTER TABLE alert_actions ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_actions FORCE ROW LEVEL SECURITY;
CREATE POLICY alert_actions_access ON alert_actions
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

-- Requests change an alert's status (UPDATE) and append to its timeline (INSERT); they never
-- delete either. Alerts are inserted by the system pool (raise), webhooks are the owner's own.
GRANT SELECT, UPDATE ON alerts TO concord_app;
GRANT SELECT, INSERT ON alert_actions TO concord_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON alert_webhooks TO concord_app;
GRANT SELECT ON webhook_deliveries TO concord_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO concord_app;
