-- "Notified site affected": an incident or geofence alert near a notified static site or the route
-- of a notified movement on the road. Stored as an alert (trigger 'notified-site') so that it shows
-- in the alerts bell, panel, live layer and webhooks; it has no track or zone, and links the
-- notification and what affected it. See docs/adr/0008-notified-site-alerts.md.

ALTER TABLE alerts DROP CONSTRAINT alerts_trigger_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_trigger_check
  CHECK (trigger IN ('enter', 'exit', 'cross', 'approach', 'dwell', 'notified-site'));

ALTER TABLE alerts
  ALTER COLUMN track_uid DROP NOT NULL,
  ALTER COLUMN track_callsign DROP NOT NULL,
  ALTER COLUMN track_kind DROP NOT NULL,
  ALTER COLUMN track_affiliation DROP NOT NULL,
  ALTER COLUMN zone_id DROP NOT NULL,
  ALTER COLUMN zone_version DROP NOT NULL,
  ALTER COLUMN zone_name DROP NOT NULL,
  ALTER COLUMN zone_kind DROP NOT NULL,
  ADD COLUMN notification_id uuid REFERENCES aid_notifications(id),
  ADD COLUMN incident_id uuid REFERENCES incidents(id),
  ADD COLUMN source_alert_id uuid REFERENCES alerts(id),
  -- Distance from the notified site or route to what affected it.
  ADD COLUMN distance_m double precision;

-- A geofence alert has its track and zone; a notified-site alert has its notification and exactly
-- one source (an incident or a geofence alert).
ALTER TABLE alerts ADD CONSTRAINT alerts_shape CHECK (
  CASE WHEN trigger = 'notified-site'
    THEN notification_id IS NOT NULL AND num_nonnulls(incident_id, source_alert_id) = 1
    ELSE track_uid IS NOT NULL AND track_callsign IS NOT NULL AND track_kind IS NOT NULL
      AND track_affiliation IS NOT NULL AND zone_id IS NOT NULL AND zone_version IS NOT NULL
      AND zone_name IS NOT NULL AND zone_kind IS NOT NULL AND notification_id IS NULL
  END);

-- One alert per notification and source, however often the source changes.
CREATE UNIQUE INDEX alerts_notified_incident ON alerts (notification_id, incident_id)
  WHERE incident_id IS NOT NULL;
CREATE UNIQUE INDEX alerts_notified_alert ON alerts (notification_id, source_alert_id)
  WHERE source_alert_id IS NOT NULL;
CREATE INDEX alerts_notification ON alerts (notification_id) WHERE notification_id IS NOT NULL;
CREATE INDEX facilities_kind ON facilities (kind);
CREATE INDEX aid_notifications_parties ON aid_notifications USING gin (parties);
ALTER TABLE aid_notification_actions ADD COLUMN delay_minutes integer;
-- A party's answer (the state it asks for): the notification moves on once every party answered.
ALTER TABLE aid_notification_actions ADD COLUMN answer text CHECK (answer IN ('facilitated',
  'partially-facilitated', 'denied', 'postponed'));
ALTER TABLE aid_notification_actions ADD CONSTRAINT aid_notification_actions_answer
  CHECK (answer IS NULL OR party IS NOT NULL);
CREATE UNIQUE INDEX aid_notification_actions_one_answer ON aid_notification_actions (notification_id, party)
  WHERE answer IS NOT NULL;
