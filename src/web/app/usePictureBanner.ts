import { useMemo } from 'react';
import type { IncidentFeature } from '../../domain/incidents';
import { aggregateMarking, formatMarking, type Marking } from '../../domain/marking';
import type { ZoneFeature } from '../../domain/zones';
import { useBannerText } from './useBannerText';

const NO_MARKINGS: readonly Marking[] = [];

interface PictureOnScreen {
  onMap: boolean;
  /** What a page other than the map shows: the banner covers it instead of the map's contents. */
  pageMarkings: readonly Marking[];
  zones: readonly ZoneFeature[];
  zonesText: string | null;
  trackCount: number;
  trackMarking: Marking;
  historyMarkings: readonly Marking[];
  trailMarkings: readonly Marking[];
  alertsOpen: boolean;
  alertCount: number;
  alertMarking: Marking;
  replayOpen: boolean;
  replayMarkings: readonly Marking[];
  incidentsVisible: boolean;
  incidents: readonly IncidentFeature[];
  convoyMarkings: readonly Marking[];
  aidMarkings: readonly Marking[];
}

/** The classification banner's text for the page shown. */
export function usePictureBanner(s: PictureOnScreen): string {
  // Everything on screen counts: zones, tracks (and their counts in the panel), zone versions,
  // the past positions of the trail on the map, open alerts, and what a replay shows.
  const { alertsOpen, alertCount, alertMarking, zones, incidentsVisible, replayOpen, incidents } = s;
  const alertMarkings = useMemo(
    () => (alertsOpen && alertCount > 0 ? [alertMarking] : NO_MARKINGS),
    [alertsOpen, alertCount, alertMarking],
  );

  const zoneMarkings = useMemo(() => zones.map((z) => z.properties.marking), [zones]);
  const incidentMarkings = useMemo(
    () => (incidentsVisible && !replayOpen ? incidents.map((i) => i.properties.marking) : NO_MARKINGS),
    [incidentsVisible, replayOpen, incidents],
  );
  const aidMarkings = replayOpen ? NO_MARKINGS : s.aidMarkings;
  const { historyMarkings, trailMarkings, replayMarkings, convoyMarkings } = s;
  const others = useMemo(
    () => [
      historyMarkings,
      trailMarkings,
      alertMarkings,
      replayMarkings,
      incidentMarkings,
      convoyMarkings,
      aidMarkings,
    ],
    [
      historyMarkings,
      trailMarkings,
      alertMarkings,
      replayMarkings,
      incidentMarkings,
      convoyMarkings,
      aidMarkings,
    ],
  );
  const mapBannerText = useBannerText({
    zoneMarkings,
    zonesText: s.zonesText,
    trackMarking: s.trackCount > 0 ? s.trackMarking : null,
    others,
  });
  return s.onMap
    ? mapBannerText
    : s.pageMarkings.length
      ? formatMarking(aggregateMarking(s.pageMarkings))
      : 'UNCLASSIFIED';
}
