-- Platform: identities, sessions, tokens, the access rule, the event outbox and zones.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'concord_app') THEN
    CREATE ROLE concord_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;
GRANT concord_app TO CURRENT_USER;

-- The one access rule, mirroring canSee() in src/domain/marking.ts. The viewer is set per
-- transaction with set_config(..., true); an unset viewer sees nothing.
CREATE FUNCTION concord_can_see(cls smallint, rel text[], cav text[]) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  -- The system flag counts only off the request role, so a request can never switch it on.
  SELECT (current_user <> 'concord_app' AND coalesce(current_setting('concord.system', true), '') = 'on')
    OR coalesce(
      cls <= nullif(current_setting('concord.clearance', true), '')::smallint
      AND rel && (coalesce(nullif(current_setting('concord.principals', true), ''), '{}')::text[] || ARRAY['ALL'])
      AND cav <@ coalesce(nullif(current_setting('concord.caveats', true), ''), '{}')::text[],
      false)
$$;

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z][A-Z0-9-]{1,23}$'),
  name text NOT NULL,
  kind text NOT NULL,
  nation text CHECK (nation ~ '^[A-Z]{3}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL UNIQUE CHECK (username = lower(username)),
  display_name text NOT NULL,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  roles text[] NOT NULL DEFAULT '{}',
  clearance smallint NOT NULL DEFAULT 0 CHECK (clearance BETWEEN 0 AND 3),
  caveats text[] NOT NULL DEFAULT '{}',
  password_hash text,
  disabled boolean NOT NULL DEFAULT false,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- The transactional outbox: one row per change, written in the change's own transaction.
-- prev_* holds the marking before the change so that a viewer who could see the old state
-- learns that it is gone, and nobody else learns anything.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor uuid,
  kind text NOT NULL,
  layer text NOT NULL,
  entity_id text NOT NULL,
  payload jsonb,
  classification smallint NOT NULL,
  releasable_to text[] NOT NULL,
  caveats text[] NOT NULL DEFAULT '{}',
  prev_classification smallint,
  prev_releasable_to text[],
  prev_caveats text[]
);
CREATE INDEX events_entity ON events(layer, entity_id);

CREATE TABLE zones (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  head_version integer NOT NULL,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}',
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Versions are never overwritten: each edit adds a row; the version in force at T is the
-- highest-numbered one whose validity period contains T.
CREATE TABLE zone_versions (
  zone_id uuid NOT NULL REFERENCES zones(id),
  version integer NOT NULL,
  name text NOT NULL,
  kind text NOT NULL,
  geometry jsonb,
  bbox box,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz,
  description text,
  properties jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false,
  classification smallint NOT NULL CHECK (classification BETWEEN 0 AND 3),
  releasable_to text[] NOT NULL CHECK (cardinality(releasable_to) > 0),
  caveats text[] NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (zone_id, version),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX zone_versions_bbox ON zone_versions USING gist (bbox);
CREATE INDEX zone_versions_name ON zone_versions (lower(name) text_pattern_ops);

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY events_access ON events
  USING (concord_can_see(classification, releasable_to, caveats)
         OR (prev_classification IS NOT NULL AND concord_can_see(prev_classification, prev_releasable_to, prev_caveats)))
  WITH CHECK (true);

ALTER TABLE zones ENABLE ROW LEVEL SECURITY;
ALTER TABLE zones FORCE ROW LEVEL SECURITY;
CREATE POLICY zones_access ON zones
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

ALTER TABLE zone_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE zone_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY zone_versions_access ON zone_versions
  USING (concord_can_see(classification, releasable_to, caveats))
  WITH CHECK (concord_can_see(classification, releasable_to, caveats));

GRANT SELECT, INSERT, UPDATE ON organisations, users, sessions, api_tokens TO concord_app;
GRANT DELETE ON sessions TO concord_app;
GRANT SELECT, INSERT ON events TO concord_app;
GRANT SELECT, INSERT, UPDATE ON zones TO concord_app;
GRANT SELECT, INSERT ON zone_versions TO concord_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO concord_app;
GRANT EXECUTE ON FUNCTION concord_can_see(smallint, text[], text[]) TO concord_app;
