import type { LiveServerMessage } from '../../../domain/events';
import { aggregateMarking, distinctMarkings, type Marking } from '../../../domain/marking';
import { atMostEvery } from '../../app/atMostEvery';
import { ALERTS_LAYER, type AlertFeature, isAlertFeature } from './types';

export interface AlertsState {
  /** Newest first (observation time). */
  alerts: readonly AlertFeature[];
  byId: ReadonlyMap<string, AlertFeature>;
  marking: Marking;
  loaded: boolean;
}

/** ISO 8601 UTC timestamps order as plain strings: no collation needed for thousands of them. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const newestFirst = (a: AlertFeature, b: AlertFeature) =>
  byText(b.properties.at, a.properties.at) || byText(b.properties.raisedAt, a.properties.raisedAt);

/**
 * Changes published together at most this often: thousands of tracks crossing zones raise alerts
 * in bursts, and sorting every alert held once per alert of a burst stalled the page.
 */
const COALESCE_MS = 50;

/**
 * The alerts this client knows: the live snapshot (open and acknowledged, last 24 h), live upserts,
 * and what the panel fetched over REST (older or resolved ones). A newer version always wins.
 */
export class AlertStore {
  private readonly features = new Map<string, AlertFeature>();
  private state: AlertsState = { alerts: [], byId: new Map(), marking: aggregateMarking([]), loaded: false };
  private readonly listeners = new Set<() => void>();
  private readonly arrivals = new Set<(a: AlertFeature) => void>();
  private readonly publisher = atMostEvery(() => this.publish(), COALESCE_MS);

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): AlertsState => this.state;

  /** Called for each alert first seen on the live feed after the snapshot: the sound plays here. */
  onArrival(listener: (a: AlertFeature) => void): () => void {
    this.arrivals.add(listener);
    return () => this.arrivals.delete(listener);
  }

  apply(msg: LiveServerMessage): boolean {
    if (!('layer' in msg) || msg.layer !== ALERTS_LAYER) return false;
    switch (msg.type) {
      case 'snapshot':
        // Resolved and older alerts the panel fetched stay; the snapshot refreshes the rest.
        for (const [id, f] of this.features) if (f.properties.status !== 'resolved') this.features.delete(id);
        for (const f of msg.features) if (isAlertFeature(f)) this.features.set(f.id, f);
        this.state = { ...this.state, loaded: true };
        this.publish();
        return true;
      case 'upsert': {
        if (!isAlertFeature(msg.feature)) return true;
        const known = this.features.has(msg.feature.id);
        this.put(msg.feature);
        if (!known) for (const l of this.arrivals) l(msg.feature);
        break;
      }
      case 'delete':
        this.features.delete(String(msg.id));
        break;
    }
    this.schedule();
    return true;
  }

  /** Alerts read over REST: kept unless the store already holds a newer version. */
  merge(list: readonly unknown[]): void {
    for (const f of list) if (isAlertFeature(f)) this.put(f);
    this.publish();
  }

  private put(f: AlertFeature): void {
    const old = this.features.get(f.id);
    if (!old || old.properties.version <= f.properties.version) this.features.set(f.id, f);
  }

  private schedule(): void {
    this.publisher.request();
  }

  private publish(): void {
    this.publisher.cancel();
    const alerts = [...this.features.values()].sort(newestFirst);
    const marking = aggregateMarking(distinctMarkings(alerts.map((a) => a.properties.marking)));
    this.state = { alerts, byId: new Map(this.features), marking, loaded: this.state.loaded };
    for (const l of this.listeners) l();
  }
}
