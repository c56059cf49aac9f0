-- Aid flow: notices to the owners of consignments that a crossing's closure or restriction
-- affects, and the index the throughput and dashboard queries read (screening day by crossing).

-- One notice per affected consignment and status change, for the consignment's requesting
-- organisation; marked like the consignment (with the crossing's marking folded in), so that an
-- organisation that may not see the consignment never sees the notice either.
CREATE TABLE aid_notices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  consignment_id uuid NOT NULL REFERENCES consignments(id),
  crossing_id uuid NOT NULL REFERENCES crossings(id),
  status_history_id bigint NOT NULL REFERENCES crossing_status_history(id),
  status text NOT NULL CHECK (status IN ('restricted', 'closed')),
  reason text,
  status_until timestamptz,
  summary text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}',
  UNIQUE (status_history_id, consignment_id)
);
CREATE INDEX aid_notices_organisation ON aid_notices (organisation_id, at DESC);

ALTER TABLE aid_notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE aid_notices FORCE ROW LEVEL SECURITY;
CREATE POLICY aid_notices_access ON aid_notices USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));
GRANT SELECT, INSERT ON aid_notices TO concord_app;

-- Throughput counts a consignment on the day it was screened at its crossing.
CREATE INDEX consignment_actions_to_state ON consignment_actions (to_state, at);
CREATE INDEX consignments_convoy ON consignments (convoy_id) WHERE convoy_id IS NOT NULL;
