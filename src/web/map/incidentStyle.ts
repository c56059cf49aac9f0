import type { FeatureLike } from 'ol/Feature';
import { Fill, RegularShape, Stroke, Style, Text } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import type { IncidentStatus } from '../../domain/incident-workflow';
import { STATUS_COLOURS } from '../features/incidents/labels';

const LABEL_FONT = '700 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** Numbers are drawn when zoomed in this far (metres per pixel), else only the markers. */
const LABEL_MAX_RESOLUTION = 40;
const cache = new Map<string, Style>();

function marker(status: IncidentStatus, closed: boolean): Style {
  const key = `${status}:${closed}`;
  let s = cache.get(key);
  if (!s) {
    // A triangle (a warning sign) so that incidents never read as tracks or zone points.
    s = new Style({
      image: new RegularShape({
        points: 3,
        radius: 10,
        fill: new Fill({ color: STATUS_COLOURS[status] ?? '#495057' }),
        stroke: new Stroke({ color: '#ffffff', width: 2 }),
      }),
      zIndex: closed ? 1 : 2,
    });
    cache.set(key, s);
  }
  return s;
}

/** Incidents as triangles in their status colour, with their number when zoomed in. */
export function incidentStyle(): StyleFunction {
  return (feature: FeatureLike, resolution: number) => {
    const status = feature.get('status') as IncidentStatus;
    const closed = status === 'closed' || status === 'merged';
    const styles = [marker(status, closed)];
    if (resolution <= LABEL_MAX_RESOLUTION) {
      styles.push(
        new Style({
          text: new Text({
            text: String(feature.get('number') ?? ''),
            font: LABEL_FONT,
            offsetY: 18,
            fill: new Fill({ color: '#1b1f24' }),
            stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.92)', width: 3.5 }),
          }),
        }),
      );
    }
    return styles;
  };
}
