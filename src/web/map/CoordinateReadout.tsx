import { t } from '../i18n/t';
import { formatLatLon, formatMgrs } from './coords';

export interface ReadoutPosition {
  lon: number;
  lat: number;
  /** Where the position comes from: under the pointer, or the map centre (touch screens, pointer away). */
  source: 'pointer' | 'centre';
}

/** Position read-out in decimal degrees and MGRS. Not a live region: it changes on every pointer move. */
export function CoordinateReadout({ position }: { position: ReadoutPosition | null }) {
  if (!position) return null;
  const mgrs = formatMgrs(position.lon, position.lat);
  return (
    <div className="coord-readout" data-testid="coord-readout">
      <span className="coord-readout__source">
        {t(position.source === 'pointer' ? 'map.pointer' : 'map.centre')}
      </span>
      <span className="coord-readout__row">
        <span className="coord-readout__label">{t('map.latLon')}</span>
        <span className="coord-readout__value">{formatLatLon(position.lon, position.lat)}</span>
      </span>
      <span className="coord-readout__row">
        <span className="coord-readout__label">{t('map.mgrs')}</span>
        <span className="coord-readout__value">{mgrs ?? t('details.none')}</span>
      </span>
    </div>
  );
}
