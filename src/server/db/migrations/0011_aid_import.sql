-- Imports of humanitarian lists (CSV with an HXL hashtag row): 3W activities ("who does what
-- where") and the counters an import job needs beyond 0008's import_jobs.

CREATE TABLE activities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number bigserial UNIQUE,
  reference text,
  -- The organisation as the list names it; linked to a Concord organisation when the code or name matches.
  organisation text NOT NULL,
  organisation_id uuid REFERENCES organisations(id),
  sector text NOT NULL,
  activity text,
  admin1 text,
  location text,
  lon double precision CHECK (lon BETWEEN -180 AND 180),
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  start_date date,
  end_date date,
  people_targeted integer CHECK (people_targeted >= 0),
  people_reached integer CHECK (people_reached >= 0),
  status text CHECK (status IN ('planned', 'ongoing', 'completed', 'suspended')),
  import_job_id uuid REFERENCES import_jobs(id),
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}',
  CHECK ((lon IS NULL) = (lat IS NULL)),
  CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX activities_sector ON activities (sector);
CREATE INDEX activities_import ON activities (import_job_id);

ALTER TABLE activities ENABLE ROW LEVEL SECURITY;
ALTER TABLE activities FORCE ROW LEVEL SECURITY;
CREATE POLICY activities_access ON activities USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));
GRANT SELECT, INSERT, UPDATE ON activities TO concord_app;
GRANT USAGE ON SEQUENCE activities_number_seq TO concord_app;

-- The count of refused rows (details are capped) and why a job failed as a whole.
ALTER TABLE import_jobs ADD COLUMN error_count integer NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN failure text;
CREATE INDEX consignments_import ON consignments (import_job_id) WHERE import_job_id IS NOT NULL;
CREATE INDEX import_jobs_started ON import_jobs (started_at DESC);
