import { type AlertFeature, NOTIFIED_SITE_TRIGGER } from '../../../domain/alert-status.js';
import { ALERTS_LAYER } from '../../../domain/alerts.js';
import {
  NOTIFIED_SITE_STATES,
  notificationNumber,
  ON_THE_ROAD_STATES,
} from '../../../domain/deconfliction.js';
import type { ChangeEvent } from '../../../domain/events.js';
import { INCIDENTS_LAYER, type IncidentFeature } from '../../../domain/incidents.js';
import { aggregateMarking, formatMarking, type Marking } from '../../../domain/marking.js';
import { boxAround, distanceToNotifiedM } from '../../../domain/notified-site.js';
import type { Db } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import type { AlertsService, NewNotifiedSiteAlert } from '../alerts/index.js';
import { notificationsStore as store } from './notifications.store.js';

export const DEFAULT_CORRELATION_RADIUS_M = 500;

export interface CorrelationLog {
  error(obj: unknown, msg: string): void;
  info(obj: unknown, msg: string): void;
}

/** Something on the ground that may affect a notified site: an incident or a geofence alert. */
export interface Happening {
  incidentId: string | null;
  sourceAlertId: string | null;
  lon: number;
  lat: number;
  at: Date;
  /** What the alert may say of it: read only by those who may see both it and the notification. */
  description: string;
  marking: Marking;
}

/** What an outbox event says happened, if it is something correlation looks at. */
export function happeningOf(e: ChangeEvent): Happening | null {
  if (e.kind !== 'upsert' || !e.payload) return null;
  if (e.layer === INCIDENTS_LAYER) {
    const f = e.payload as IncidentFeature;
    const p = f.properties;
    if (p.duplicateOf || p.status === 'merged') return null;
    return {
      incidentId: f.id,
      sourceAlertId: null,
      lon: f.geometry.coordinates[0],
      lat: f.geometry.coordinates[1],
      at: new Date(p.observedAt),
      description: `${p.number} ${p.title}`,
      marking: p.marking,
    };
  }
  if (e.layer === ALERTS_LAYER) {
    const f = e.payload as AlertFeature;
    const p = f.properties;
    // Its own alerts, and geofence alerts once someone acted on them, are not news.
    if (p.trigger === NOTIFIED_SITE_TRIGGER || p.status !== 'open' || p.version !== 1) return null;
    // A friendly or neutral track (the aid convoy itself, a coalition drone) threatens no notified site.
    if (p.trackAffiliation === 'friend' || p.trackAffiliation === 'neutral') return null;
    return {
      incidentId: null,
      sourceAlertId: f.id,
      lon: f.geometry.coordinates[0],
      lat: f.geometry.coordinates[1],
      at: new Date(p.at),
      description: `alert: ${p.summary}`,
      marking: p.marking,
    };
  }
  return null;
}

/**
 * "Notified site affected": an incident or geofence alert within `radiusM` of a notified static
 * site (in its window) or of the route of a notified movement on the road raises a critical alert
 * linked to both. Its marking is the aggregate of the notification's and the source's: whoever
 * sees the alert may see both, and nobody else learns of it (docs/adr/0008-notified-site-alerts.md).
 * Fed by the outbox events; runs one event at a time and never fails what raised the event.
 */
export class NotificationCorrelator {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly alerts: Pick<
      AlertsService,
      'raiseNotifiedSite' | 'notifiedSiteOfIncident' | 'remarkNotifiedSite'
    >,
    private readonly log: CorrelationLog,
    private readonly radiusM = DEFAULT_CORRELATION_RADIUS_M,
  ) {}

  /** For the event relay: queues the event; stop() waits for the queue. */
  onEvent = (e: ChangeEvent): void => {
    const h = happeningOf(e);
    if (!h) return;
    this.chain = this.chain
      .then(() => this.correlate(h))
      .catch((err: unknown) =>
        // Logged without content: the log is read by people the source is not released to.
        this.log.error({ err, incidentId: h.incidentId, alertId: h.sourceAlertId }, 'correlation failed'),
      );
  };

  /** Raises the alerts this happening calls for; returns those stored now. */
  async correlate(h: Happening): Promise<AlertFeature[]> {
    if (!Number.isFinite(h.lon) || !Number.isFinite(h.lat) || Number.isNaN(h.at.getTime())) return [];
    if (h.incidentId) await this.followMarking(h.incidentId, h.marking);
    const near = await this.db.asSystem((tx) =>
      store.near(tx, {
        box: boxAround(h.lon, h.lat, this.radiusM),
        at: h.at,
        siteStates: NOTIFIED_SITE_STATES,
        roadStates: ON_THE_ROAD_STATES,
      }),
    );
    const out: NewNotifiedSiteAlert[] = [];
    for (const n of near) {
      const d = distanceToNotifiedM(n.geometry, h.lon, h.lat);
      if (!(d <= this.radiusM)) continue;
      const marking = aggregateMarking([columnsToMarking(n), h.marking]);
      // Released to nobody in common: an alert nobody may read would only leak through counts.
      if (marking.releasableTo.includes('NONE')) continue;
      const what = n.kind === 'movement' ? 'the route of movement' : 'site';
      out.push({
        severity: 'critical',
        summary: `Notified site affected: ${h.description}, ${Math.round(d)} m from ${what} ${notificationNumber(n.number)} "${n.title}" (${n.organisation_code})`,
        notification_id: n.id,
        incident_id: h.incidentId,
        source_alert_id: h.sourceAlertId,
        distance_m: d,
        positions: [{ lon: h.lon, lat: h.lat, t: h.at.getTime() }],
        lon: h.lon,
        lat: h.lat,
        at: h.at.toISOString(),
        ...markingToColumns(marking),
      });
    }
    const raised = await this.alerts.raiseNotifiedSite(out);
    if (raised.length) this.log.info({ count: raised.length }, 'notified-site alerts raised');
    return raised;
  }

  /**
   * An incident's alerts carry the aggregate of its marking and the notification's: when the
   * incident is re-marked (released to the organisation, or narrowed), its alerts follow.
   */
  private async followMarking(incidentId: string, incidentMarking: Marking): Promise<void> {
    const linked = await this.alerts.notifiedSiteOfIncident(incidentId);
    if (linked.length === 0) return;
    const notes = await this.db.asSystem((tx) =>
      store.markings(tx, [...new Set(linked.map((a) => a.notificationId))]),
    );
    const byId = new Map(notes.map((n) => [n.id, columnsToMarking(n)]));
    const changes = linked.flatMap((a) => {
      const n = byId.get(a.notificationId);
      if (!n) return [];
      const marking = aggregateMarking([n, incidentMarking]);
      return formatMarking(marking) === formatMarking(a.marking) ? [] : [{ id: a.id, marking }];
    });
    await this.alerts.remarkNotifiedSite(changes);
  }

  /** Resolves once every event handed over so far has been handled. */
  async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  stop(): Promise<void> {
    return this.idle();
  }
}
