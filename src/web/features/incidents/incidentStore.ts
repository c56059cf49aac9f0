import type { LiveServerMessage } from '../../../domain/events';
import { INCIDENT_STATUSES } from '../../../domain/incident-workflow';
import { INCIDENTS_LAYER, type IncidentFeature } from '../../../domain/incidents';

export interface IncidentsState {
  incidents: readonly IncidentFeature[];
  /** Bumped on every change, so that pages showing incidents know to fetch again. */
  revision: number;
}

/** Values from the wire are checked before use: an incident without what the map needs is dropped. */
export function isIncidentFeature(v: unknown): v is IncidentFeature {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as { id?: unknown; geometry?: { coordinates?: unknown }; properties?: Record<string, unknown> };
  const p = f.properties;
  return (
    typeof f.id === 'string' &&
    Array.isArray(f.geometry?.coordinates) &&
    typeof p === 'object' &&
    p !== null &&
    (INCIDENT_STATUSES as readonly string[]).includes(p.status as string) &&
    typeof p.number === 'string' &&
    typeof p.version === 'number'
  );
}

/** The incidents of the map: the live snapshot and its upserts and deletes; a newer version wins. */
export class IncidentStore {
  private readonly features = new Map<string, IncidentFeature>();
  private state: IncidentsState = { incidents: [], revision: 0 };
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): IncidentsState => this.state;

  apply(msg: LiveServerMessage): boolean {
    if (!('layer' in msg) || msg.layer !== INCIDENTS_LAYER) return false;
    switch (msg.type) {
      case 'snapshot':
        this.features.clear();
        for (const f of msg.features) if (isIncidentFeature(f)) this.features.set(f.id, f);
        break;
      case 'upsert':
        if (isIncidentFeature(msg.feature)) this.put(msg.feature);
        break;
      case 'delete':
        this.features.delete(String(msg.id));
        break;
    }
    this.publish();
    return true;
  }

  /** An incident the page just changed: shown at once, before its live echo arrives. */
  merge(f: IncidentFeature): void {
    this.put(f);
    this.publish();
  }

  private put(f: IncidentFeature): void {
    const old = this.features.get(f.id);
    if (!old || old.properties.version <= f.properties.version) this.features.set(f.id, f);
  }

  private publish(): void {
    this.state = { incidents: [...this.features.values()], revision: this.state.revision + 1 };
    for (const l of this.listeners) l();
  }
}
