import { stringify } from 'csv-stringify/sync';
import {
  ACLED_COLUMNS,
  acledRow,
  csvSafe,
  type ExportFormat,
  type ExportIncident,
  exportFeature,
  HXL_COLUMNS,
} from '../../../domain/incident-export.js';
import { formatMarking, type Marking } from '../../../domain/marking.js';

/**
 * CSV for partner systems: no preamble (readers choke on one), the marking travels in a header;
 * cells must already have passed csvSafe.
 */
export function csvText(rows: readonly (readonly (string | number)[])[]): string {
  return stringify(rows as (string | number)[][], { record_delimiter: 'windows', quoted_match: /[",\r\n]/ });
}

export function incidentsCsv(format: ExportFormat, incidents: readonly ExportIncident[]): string {
  const rows: (string | number)[][] =
    format === 'acled'
      ? [[...ACLED_COLUMNS], ...incidents.map((i) => ACLED_COLUMNS.map((c) => csvSafe(acledRow(i)[c])))]
      : [
          HXL_COLUMNS.map((c) => c.header),
          HXL_COLUMNS.map((c) => c.hashtag),
          ...incidents.map((i) => HXL_COLUMNS.map((c) => csvSafe(c.value(i)))),
        ];
  return csvText(rows);
}

export function incidentsGeoJson(incidents: readonly ExportIncident[], marking: Marking, truncated: boolean) {
  return {
    type: 'FeatureCollection' as const,
    marking,
    markingText: formatMarking(marking),
    truncated,
    features: incidents.map(exportFeature),
  };
}
