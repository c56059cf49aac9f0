import { type Static, Type } from 'typebox';
import { classificationLevel, type Marking, MarkingSchema, RELEASABLE_TO_ALL } from './marking.js';
import { TRACK_UID_PATTERN } from './tracks.js';

/**
 * Evidence of an incident: a file (stored by its SHA-256), a track segment or an alert, each under
 * its own marking, with its chain of custody (who held it, when, and what they did with it).
 */

export const EVIDENCE_LAYER = 'evidence';

export const EVIDENCE_KINDS = ['file', 'track-segment', 'alert'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Every custody action; the server writes most of them itself as things happen. */
export const CUSTODY_ACTIONS = [
  'collected',
  'uploaded',
  'linked',
  'viewed',
  'downloaded',
  'transferred',
  'annotated',
  'verified',
  'integrity-failure',
] as const;
export type CustodyAction = (typeof CUSTODY_ACTIONS)[number];

/** What a user may record by hand (`incidents:evidence`). */
export const RECORDABLE_CUSTODY_ACTIONS = ['transferred', 'annotated', 'verified'] as const;
export type RecordableCustodyAction = (typeof RECORDABLE_CUSTODY_ACTIONS)[number];

export interface CustodyActor {
  username: string;
  displayName: string;
}

export interface CustodyEntry {
  id: string;
  evidenceId: string;
  action: CustodyAction;
  at: string;
  /** Null when the system wrote it. */
  actor: CustodyActor | null;
  holder: string | null;
  note: string | null;
  /** The hash computed at that moment (files), so a later mismatch shows when the file changed. */
  sha256: string | null;
  marking: Marking;
  markingText: string;
}

export interface EvidenceItem {
  id: string;
  incidentId: string;
  kind: EvidenceKind;
  sha256: string | null;
  filename: string | null;
  mediaType: string | null;
  size: number | null;
  description: string | null;
  trackUid: string | null;
  from: string | null;
  to: string | null;
  alertId: string | null;
  addedBy: CustodyActor | null;
  addedAt: string;
  marking: Marking;
  markingText: string;
  custodyCount: number;
  lastCustody: CustodyEntry | null;
}

/** A track that could have observed an incident: its positions near it or its sensor footprint over it. */
export interface EvidenceSuggestion {
  uid: string;
  callsign: string | null;
  kind: string | null;
  affiliation: string | null;
  sidc: string | null;
  organisation: string | null;
  /** Distance from the track's closest matching position to the incident point. */
  closestDistanceM: number;
  closestAt: string;
  /** Matching positions: within the radius or with a footprint over the point. */
  positions: number;
  footprintCovers: boolean;
  /** Seconds between the nearest matching position and the incident's observed window (0 inside it). */
  timeGapS: number;
  /** The segment to link: first and last matching position. */
  from: string;
  to: string;
  /** 0..1, higher is better; the order is footprint first, then distance, then time gap. */
  score: number;
  marking: Marking;
  markingText: string;
}

export interface EvidenceSuggestions {
  incidentId: string;
  radiusM: number;
  windowMinutes: number;
  from: string;
  to: string;
  items: EvidenceSuggestion[];
  /** Positions read; when capped, the scan stopped there and the list may be incomplete. */
  scanned: number;
  capped: boolean;
  marking: Marking;
  markingText: string;
}

export const SUGGESTION_LIMITS = {
  radiusM: { min: 50, max: 50_000, default: 5_000 },
  windowMinutes: { min: 1, max: 24 * 60, default: 30 },
  /** How far from its platform a sensor footprint is looked for. */
  footprintReachM: 50_000,
  maxPositions: 200_000,
} as const;

/** Longest track segment one link may cover. */
export const MAX_SEGMENT_MS = 24 * 3600_000;
export const DEFAULT_MAX_EVIDENCE_BYTES = 100 * 1024 * 1024;

const Iso = Type.String({ format: 'date-time' });
const Description = Type.String({ maxLength: 4000 });

export const EvidenceLinkInputSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('track-segment'),
      trackUid: Type.String({ pattern: TRACK_UID_PATTERN }),
      from: Iso,
      to: Iso,
      description: Type.Optional(Description),
      marking: Type.Optional(MarkingSchema),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('alert'),
      alertId: Type.String({ format: 'uuid' }),
      description: Type.Optional(Description),
      marking: Type.Optional(MarkingSchema),
    },
    { additionalProperties: false },
  ),
]);
export type EvidenceLinkInput = Static<typeof EvidenceLinkInputSchema>;

export const CustodyInputSchema = Type.Object(
  {
    action: Type.Enum(RECORDABLE_CUSTODY_ACTIONS),
    holder: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export type CustodyInput = Static<typeof CustodyInputSchema>;

/**
 * True when whoever may see `a` may also see `b`: `a` is at least as restrictive. An evidence item
 * that discloses a track or an alert must be marked at least as restrictively as what it discloses.
 */
export function markingCovers(a: Marking, b: Marking): boolean {
  if (classificationLevel(a.classification) < classificationLevel(b.classification)) return false;
  if (!(b.caveats ?? []).every((c) => (a.caveats ?? []).includes(c))) return false;
  if (b.releasableTo.includes(RELEASABLE_TO_ALL)) return true;
  if (a.releasableTo.includes(RELEASABLE_TO_ALL)) return false;
  return a.releasableTo.every((p) => b.releasableTo.includes(p));
}
