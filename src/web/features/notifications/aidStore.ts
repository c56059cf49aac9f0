import {
  NOTIFICATION_STATES,
  NOTIFICATIONS_LAYER,
  type NotificationFeature,
} from '../../../domain/deconfliction';
import type { LiveServerMessage } from '../../../domain/events';
import { FACILITIES_LAYER, FACILITY_KINDS, type FacilityFeature } from '../../../domain/facilities';

export interface AidMapState {
  facilities: readonly FacilityFeature[];
  notifications: readonly NotificationFeature[];
  /** Bumped on every change of a notification, so that pages listing them fetch again. */
  revision: number;
}

type Versioned = { id: string; properties: { version: number } };

function isNotification(v: unknown): v is NotificationFeature {
  const f = v as { id?: unknown; geometry?: { coordinates?: unknown }; properties?: Record<string, unknown> };
  return (
    typeof f?.id === 'string' &&
    Array.isArray(f.geometry?.coordinates) &&
    typeof f.properties?.version === 'number' &&
    (NOTIFICATION_STATES as readonly string[]).includes(f.properties.state as string)
  );
}

function isFacility(v: unknown): v is FacilityFeature {
  const f = v as { id?: unknown; geometry?: { coordinates?: unknown }; properties?: Record<string, unknown> };
  return (
    typeof f?.id === 'string' &&
    Array.isArray(f.geometry?.coordinates) &&
    typeof f.properties?.version === 'number' &&
    (FACILITY_KINDS as readonly string[]).includes(f.properties.kind as string)
  );
}

class Keyed<T extends Versioned> {
  readonly byId = new Map<string, T>();
  constructor(private readonly valid: (v: unknown) => v is T) {}

  apply(msg: LiveServerMessage): void {
    switch (msg.type) {
      case 'snapshot':
        this.byId.clear();
        for (const f of msg.features) if (this.valid(f)) this.byId.set(f.id, f);
        break;
      case 'upsert':
        if (this.valid(msg.feature)) this.put(msg.feature);
        break;
      case 'delete':
        this.byId.delete(String(msg.id));
        break;
    }
  }

  put(f: T): void {
    const old = this.byId.get(f.id);
    if (!old || old.properties.version <= f.properties.version) this.byId.set(f.id, f);
  }
}

/** The facilities and notifications of the map, from their live layers; a newer version wins. */
export class AidStore {
  private readonly facilities = new Keyed(isFacility);
  private readonly notifications = new Keyed(isNotification);
  private state: AidMapState = { facilities: [], notifications: [], revision: 0 };
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): AidMapState => this.state;

  apply(msg: LiveServerMessage): boolean {
    if (!('layer' in msg)) return false;
    if (msg.layer === FACILITIES_LAYER) this.facilities.apply(msg);
    else if (msg.layer === NOTIFICATIONS_LAYER) this.notifications.apply(msg);
    else return false;
    this.publish(msg.layer === NOTIFICATIONS_LAYER);
    return true;
  }

  /** A notification the page just changed: shown at once, before its live echo arrives. */
  merge(f: NotificationFeature): void {
    this.notifications.put(f);
    this.publish(false);
  }

  /** A facility the page just recorded or changed: on the map at once, before its live echo. */
  mergeFacility(f: FacilityFeature): void {
    this.facilities.put(f);
    this.publish(false);
  }

  private publish(bump: boolean): void {
    this.state = {
      facilities: [...this.facilities.byId.values()],
      notifications: [...this.notifications.byId.values()],
      revision: this.state.revision + (bump ? 1 : 0),
    };
    for (const l of this.listeners) l();
  }
}
