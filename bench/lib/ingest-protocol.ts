/** What `bench/ingest.ts` and its load generator (`bench/lib/ingest-load.ts`, a child process) say to each other. */
import type { Clearance, Marking } from '../../src/domain/marking.js';

export type { Clearance };

export interface SubscriberSpec {
  user: string;
  token: string;
  viewer: Clearance;
  bbox: [number, number, number, number];
}

export interface ChannelSpec {
  /** 'ws': /api/v1/tracks/stream; 'rest': POST /api/v1/tracks/reports. */
  via: 'ws' | 'rest';
  user: string;
  token: string;
  /** Share of the reports this channel sends (its share of the uids too). */
  share: number;
}

export interface LoadConfig {
  url: string;
  tracks: number;
  batch: number;
  seed: number;
  /** The markings reporters put on their reports, one per uid in turn. */
  markings: Marking[];
  channels: ChannelSpec[];
  subscribers: SubscriberSpec[];
  /** Parse every received frame with JSON.parse (what a real client does) instead of scanning it. */
  fullParse: boolean;
}

export type PhaseSpec =
  | { name: string; mode: 'rate'; rate: number; seconds: number }
  | { name: string; mode: 'closed'; inflight: number; seconds: number };

export interface PhaseResult {
  name: string;
  seconds: number;
  sent: number;
  /** Reports the open-loop generator did not send because the server was far behind. */
  skipped: number;
  accepted: number;
  rejected: number;
  errors: number;
  /** Reports acknowledged in each second of the phase. */
  perSecond: number[];
  upserts: number;
  /** Movements of tracks already sent whole (`moves` messages). */
  moves: number;
  deletes: number;
  frames: number;
  receivedMb: number;
  latencyCount: number;
  p50LatencyMs: number;
  p99LatencyMs: number;
  maxLatencyMs: number;
  /** Upserts a subscriber received although canSee(its viewer, the feature's marking) is false. */
  violations: number;
  /** Upserts outside the subscriber's bbox. */
  outsideBbox: number;
  /** Subscribers closed by the server (e.g. 4408 too slow). */
  closedSubscribers: number;
  loadCpuSeconds: number;
  lastError: string;
}

export type ToLoad =
  | { type: 'init'; config: LoadConfig }
  | { type: 'phase'; phase: PhaseSpec }
  | { type: 'stop' };
export type FromLoad =
  | { type: 'ready'; snapshotFeatures: number }
  | { type: 'phaseDone'; result: PhaseResult }
  | { type: 'failed'; message: string };
