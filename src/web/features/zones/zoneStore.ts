import type { LiveServerMessage } from '../../../domain/events';
import { aggregateMarking, formatMarking } from '../../../domain/marking';
import type { ZoneFeature } from '../../../domain/zones';
import { atMostEvery } from '../../app/atMostEvery';
import { milestone } from '../../app/milestones';

export const ZONES_LAYER = 'zones';

/** What the zone views render: the zones in force and the marking of them all together. */
export interface ZonesState {
  /** Sorted by name, so lists and tests see a stable order. */
  zones: readonly ZoneFeature[];
  byId: ReadonlyMap<string, ZoneFeature>;
  /** The aggregate marking text of the loaded zones, e.g. `RESTRICTED//REL TO USA, GBR`. */
  markingText: string | null;
  /** True once the first list or snapshot has arrived. */
  loaded: boolean;
}

/** The collection GET /api/v1/zones returns. */
export interface ZoneCollection {
  type: 'FeatureCollection';
  features: ZoneFeature[];
  markingText: string;
}

function isZoneFeature(v: unknown): v is ZoneFeature {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as { id?: unknown; properties?: unknown };
  return (
    (typeof f.id === 'string' || typeof f.id === 'number') &&
    typeof f.properties === 'object' &&
    f.properties !== null
  );
}

const COALESCE_MS = 30;

/**
 * Holds the zones in force as the live feed reports them. Bursts of updates are coalesced into one
 * change notification so React renders once per burst, not once per message.
 */
export class ZoneStore {
  private readonly features = new Map<string, ZoneFeature>();
  private state: ZonesState = { zones: [], byId: new Map(), markingText: null, loaded: false };
  private readonly listeners = new Set<() => void>();
  private readonly publisher = atMostEvery(() => this.publish(), COALESCE_MS);
  /** Once the live feed has delivered a snapshot, a slower initial GET must not overwrite it. */
  private liveSnapshotSeen = false;
  /** The server's own marking text for the list as fetched, valid until the first live change. */
  private serverMarkingText: string | null = null;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ZonesState => this.state;

  /** The initial list from GET /api/v1/zones: shown at once, then superseded by the live snapshot. */
  loadCollection(fc: ZoneCollection): void {
    if (this.liveSnapshotSeen) return;
    this.features.clear();
    for (const f of fc.features) if (isZoneFeature(f)) this.features.set(String(f.id), f);
    this.serverMarkingText = fc.markingText;
    milestone('zones fetched');
    this.publish();
  }

  apply(msg: LiveServerMessage): void {
    if (!('layer' in msg) || msg.layer !== ZONES_LAYER) return;
    switch (msg.type) {
      case 'snapshot': {
        this.liveSnapshotSeen = true;
        // The snapshot mostly repeats what the initial GET brought: a zone at the same version
        // keeps the object already held, so the map does not rebuild a thousand features for it.
        const held = new Map(this.features);
        this.features.clear();
        for (const f of msg.features) {
          if (!isZoneFeature(f)) continue;
          const id = String(f.id);
          const before = held.get(id);
          this.features.set(id, before && before.properties.version === f.properties.version ? before : f);
        }
        break;
      }
      case 'upsert':
        if (isZoneFeature(msg.feature)) this.features.set(String(msg.id), msg.feature);
        break;
      case 'delete':
        this.features.delete(String(msg.id));
        break;
    }
    this.serverMarkingText = null;
    this.schedule();
  }

  /**
   * A zone this client just wrote, as the server answered: shown at once rather than after the live
   * feed echoes it. A newer version already received from the feed is never replaced by an older one.
   */
  upsertLocal(feature: ZoneFeature): void {
    if (!isZoneFeature(feature)) return;
    const id = String(feature.id);
    const known = this.features.get(id);
    if (known && known.properties.version >= feature.properties.version) return;
    this.features.set(id, feature);
    this.serverMarkingText = null;
    this.schedule();
  }

  /** A zone this client just retired. */
  removeLocal(id: string): void {
    if (!this.features.delete(id)) return;
    this.serverMarkingText = null;
    this.schedule();
  }

  private schedule(): void {
    this.publisher.request();
  }

  private publish(): void {
    const zones = [...this.features.values()].sort((a, b) =>
      a.properties.name.localeCompare(b.properties.name),
    );
    // The same aggregation the server applies to a collection, so live changes keep the banner exact.
    const markingText =
      this.serverMarkingText ?? formatMarking(aggregateMarking(zones.map((z) => z.properties.marking)));
    this.state = { zones, byId: new Map(this.features), markingText, loaded: true };
    for (const l of this.listeners) l();
  }
}
