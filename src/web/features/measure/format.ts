import { t } from '../../i18n/t';

/** A geodesic length in kilometres with two decimals: `12.34 km`. */
export function formatKm(metres: number): string {
  return t('measure.km', { km: (metres / 1000).toFixed(2) });
}
