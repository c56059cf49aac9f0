import { t } from '../../i18n/t';
import { formatKm } from './format';

/** The measured length over the map, with how to use the tool while nothing is measured yet. */
export function MeasureResult({ metres }: { metres: number | null }) {
  return (
    <div className="measure-result" data-testid="measure-result" role="status" aria-live="polite">
      {metres === null ? (
        <span className="measure-result__how">{t('measure.how')}</span>
      ) : (
        <>
          <span className="measure-result__label">{t('measure.distance')}</span>{' '}
          <strong className="measure-result__value">{formatKm(metres)}</strong>
          <span className="measure-result__how">{t('measure.clear')}</span>
        </>
      )}
    </div>
  );
}
