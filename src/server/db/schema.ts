import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables; the SQL in migrations/ is the source of truth. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface OrganisationsTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: string;
  nation: string | null;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  organisation_id: string;
  roles: string[];
  clearance: number;
  caveats: string[];
  password_hash: string | null;
  disabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

interface MarkingColumns {
  classification: number;
  releasable_to: string[];
  caveats: string[];
}

export interface EventsTable extends MarkingColumns {
  id: Generated<string>;
  at: Timestamp;
  actor: string | null;
  kind: string;
  layer: string;
  entity_id: string;
  payload: unknown;
  prev_classification: number | null;
  prev_releasable_to: string[] | null;
  prev_caveats: string[] | null;
}

export interface ZonesTable extends MarkingColumns {
  id: Generated<string>;
  head_version: number;
  deleted_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ZoneVersionsTable extends MarkingColumns {
  zone_id: string;
  version: number;
  name: string;
  kind: string;
  geometry: unknown;
  bbox: string | null;
  valid_from: Timestamp;
  valid_to: Timestamp | null;
  description: string | null;
  properties: unknown;
  alert_rules: unknown;
  deleted: Generated<boolean>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface TracksTable extends MarkingColumns {
  uid: string;
  kind: string;
  affiliation: string;
  sidc: string;
  callsign: string;
  organisation_id: string;
  source: string | null;
  lat: number;
  lon: number;
  alt: number | null;
  course: number | null;
  speed: number | null;
  accuracy: number | null;
  footprint: unknown;
  observed_at: Timestamp;
  stale_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export interface TrackPositionsTable extends MarkingColumns {
  uid: string;
  observed_at: Timestamp;
  received_at: Timestamp;
  lat: number;
  lon: number;
  alt: number | null;
  course: number | null;
  speed: number | null;
  accuracy: number | null;
  footprint: unknown;
}

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  events: EventsTable;
  zones: ZonesTable;
  zone_versions: ZoneVersionsTable;
  tracks: TracksTable;
  track_positions: TrackPositionsTable;
}
