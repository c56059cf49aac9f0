import {
  type Casualties,
  INCIDENT_TAXONOMY,
  type IncidentCategory,
  type IncidentReportInput,
  type LocationPrecision,
  NO_CASUALTIES,
  type ReporterKind,
  type TimePrecision,
} from '../../../domain/incidents';
import type { Me } from '../../app/auth';
import { t } from '../../i18n/t';
import { defaultMarkingDraft, type MarkingDraft, markingFromDraft } from '../zones/editing/markingDraft';
import { isoToLocal, localToIso } from './filter';

/** The submission form's values as typed. */
export interface ReportDraft {
  reporterKind: ReporterKind;
  reporterName: string;
  allegingParty: string;
  accusedParty: string;
  observedAt: string;
  observedTo: string;
  timePrecision: TimePrecision;
  lat: string;
  lon: string;
  locationPrecision: LocationPrecision;
  placeName: string;
  category: IncidentCategory;
  subtype: string;
  casualties: Casualties;
  narrative: string;
  reliability: string;
  credibility: string;
  marking: MarkingDraft;
}

/** A party's liaison alleges against the other party; anyone else starts as a monitor. */
export function defaultReportDraft(me: Me, now = new Date()): ReportDraft {
  const liaison = me.roles.includes('party-liaison');
  const own = me.nation === 'ISR' || me.nation === 'PSE' ? me.nation : '';
  return {
    reporterKind: liaison
      ? 'party'
      : me.organisation === 'OCHA' || me.organisation === 'WFP'
        ? 'un'
        : 'monitor',
    reporterName: '',
    allegingParty: liaison ? own : '',
    accusedParty: own === 'ISR' ? 'PSE' : own === 'PSE' ? 'ISR' : 'UNKNOWN',
    observedAt: isoToLocal(now.toISOString()),
    observedTo: '',
    timePrecision: 'minute',
    lat: '',
    lon: '',
    locationPrecision: 'exact',
    placeName: '',
    category: 'fire-across-line',
    subtype: INCIDENT_TAXONOMY['fire-across-line'][0],
    casualties: NO_CASUALTIES,
    narrative: '',
    reliability: '',
    credibility: '',
    marking: defaultMarkingDraft(me),
  };
}

/** The position typed or picked, `[lon, lat]`, or null while it is not a valid one. */
export function draftPosition(d: { lat: string; lon: string }): [number, number] | null {
  if (d.lat.trim() === '' || d.lon.trim() === '') return null;
  const lat = Number(d.lat);
  const lon = Number(d.lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return null;
  return [lon, lat];
}

/** The request body, or the reason the form cannot be sent yet. */
export function reportInput(d: ReportDraft): { input: IncidentReportInput } | { problem: string } {
  const position = draftPosition(d);
  if (!position) return { problem: t('incidents.form.missingLocation') };
  const observedAt = localToIso(d.observedAt);
  if (!observedAt) return { problem: t('incidents.form.badTime') };
  if (!d.narrative.trim()) return { problem: t('incidents.form.missingNarrative') };
  const observedTo = localToIso(d.observedTo);
  const input: IncidentReportInput = {
    reporterKind: d.reporterKind,
    accusedParty: d.accusedParty,
    observedAt,
    timePrecision: d.timePrecision,
    location: { type: 'Point', coordinates: position },
    locationPrecision: d.locationPrecision,
    category: d.category,
    subtype: d.subtype,
    casualties: d.casualties,
    narrative: d.narrative.trim(),
    marking: markingFromDraft(d.marking),
  };
  if (d.reporterName.trim()) input.reporterName = d.reporterName.trim();
  if (d.allegingParty) input.allegingParty = d.allegingParty;
  if (observedTo) input.observedTo = observedTo;
  if (d.placeName.trim()) input.placeName = d.placeName.trim();
  if (d.reliability && d.credibility) {
    input.grading = {
      reliability: d.reliability as NonNullable<IncidentReportInput['grading']>['reliability'],
      credibility: Number(d.credibility) as NonNullable<IncidentReportInput['grading']>['credibility'],
    };
  }
  return { input };
}
