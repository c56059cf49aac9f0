import type { AlertFeature } from '../../../domain/alert-status.js';
import { governorateOf } from '../../../domain/governorates.js';
import { automaticIncidentSubtype, NO_CASUALTIES, UNKNOWN_PARTY } from '../../../domain/incidents.js';
import type { Db } from '../../db/database.js';
import { markingToColumns } from '../../db/marking-columns.js';
import { lineFor, publish } from './incidents.common.js';
import { incidentTitle } from './incidents.features.js';
import { incidentsStore as store } from './incidents.store.js';

export interface AutoLog {
  error(obj: unknown, msg: string): void;
  info(obj: unknown, msg: string): void;
}

/**
 * Automatic incidents: a geofence alert of a kind the ceasefire forbids (a ground track crossing
 * or entering a control line or buffer zone) opens a triaged incursion linked to the alert, one per
 * alert. It runs after the alerts are stored and never fails their raising: errors are logged.
 */
export function automaticIncidents(db: Db, log: AutoLog) {
  const pending = new Set<Promise<unknown>>();

  /** Opens the incidents for these alerts; returns the ids of those opened now. */
  async function open(alerts: readonly AlertFeature[]): Promise<string[]> {
    const opened: string[] = [];
    for (const alert of alerts) {
      const p = alert.properties;
      // Only geofence alerts (a track meeting a zone) can open an incursion.
      if (p.zoneKind === null || p.trackKind === null || p.trackAffiliation === null) continue;
      const subtype = automaticIncidentSubtype({
        ...p,
        zoneKind: p.zoneKind,
        trackKind: p.trackKind,
        trackAffiliation: p.trackAffiliation,
      });
      if (!subtype) continue;
      try {
        const id = await db.asSystem(async (tx) => {
          const m = markingToColumns(p.marking);
          const [lon, lat] = alert.geometry.coordinates;
          const at = new Date(p.at);
          const governorate = governorateOf(lon, lat);
          const id = await store.insert(tx, {
            title: incidentTitle('incursion', subtype, governorate ?? p.zoneName),
            category: 'incursion',
            subtype,
            status: 'triaged',
            observedAt: at,
            observedTo: null,
            timePrecision: 'minute',
            lon,
            lat,
            area: null,
            locationPrecision: 'exact',
            governorate,
            line: await lineFor(tx, p.marking, at, lon, lat),
            allegingParty: null,
            accusedParty: UNKNOWN_PARTY,
            casualties: NO_CASUALTIES,
            sourceAlertId: alert.id,
            createdBy: null,
            version: 2,
            ...m,
          });
          // Already opened for this alert (a replay of the same alerts): nothing more to do.
          if (!id) return null;
          await store.insertReport(tx, {
            incidentId: id,
            reporterKind: 'sensor',
            reporterName: `Geofence: ${p.trackCallsign}`,
            submittedBy: null,
            organisationId: null,
            allegingParty: null,
            accusedParty: UNKNOWN_PARTY,
            observedAt: at,
            observedTo: null,
            timePrecision: 'minute',
            location: alert.geometry,
            lon,
            lat,
            locationPrecision: 'exact',
            placeName: p.zoneName,
            category: 'incursion',
            subtype,
            casualties: NO_CASUALTIES,
            narrative: p.summary,
            reliability: null,
            credibility: null,
            ...m,
          });
          const entry = { incidentId: id, actor: null, party: null, ...m };
          await store.addAction(tx, {
            ...entry,
            action: 'received',
            from: null,
            to: 'received',
            note: p.summary,
            version: 1,
          });
          await store.addAction(tx, {
            ...entry,
            action: 'triage',
            from: 'received',
            to: 'triaged',
            note: 'Opened automatically from a geofence alert',
            version: 2,
          });
          await publish(tx, null, id, null);
          return id;
        });
        if (id) opened.push(id);
      } catch (e) {
        // Logged without the alert's content: the log is read by people the alert is not released to.
        log.error({ err: e, alertId: alert.id }, 'could not open an automatic incident');
      }
    }
    if (opened.length) log.info({ count: opened.length }, 'automatic incidents opened');
    return opened;
  }

  return {
    open,
    /** Fire and forget, for the alerts hook; stop() waits for what is still running. */
    fromAlerts(alerts: readonly AlertFeature[]): void {
      const p = open(alerts).catch((e: unknown) => log.error({ err: e }, 'automatic incidents failed'));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    async stop(): Promise<void> {
      await Promise.allSettled([...pending]);
    },
  };
}
export type AutomaticIncidents = ReturnType<typeof automaticIncidents>;
