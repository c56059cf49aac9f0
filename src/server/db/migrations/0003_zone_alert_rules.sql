-- The geofence alert rules of a zone version (an array of AlertRule, see src/domain/alerts.ts).
-- NULL means "the defaults for the zone's kind" (src/domain/alert-rules.ts), so changing the
-- defaults reaches every zone that never chose its own; an empty array means "no alerts".
ALTER TABLE zone_versions ADD COLUMN alert_rules jsonb
  CHECK (alert_rules IS NULL OR (jsonb_typeof(alert_rules) = 'array' AND jsonb_array_length(alert_rules) <= 20));
