import { memo } from 'react';
import type { ZoneFeature } from '../../../domain/zones';
import { MarkingBadge } from '../../app/MarkingBadge';
import { t } from '../../i18n/t';
import { KindSwatch } from './KindSwatch';
import { kindLabel } from './kinds';

/** Rendering thousands of buttons would stall typing in the search box; the search narrows it. */
const MAX_ROWS = 300;

/** Memoised: the tracks re-render the panel every second, the zones rarely change. */
export const ZoneList = memo(function ZoneList({
  zones,
  total,
  selectedId,
  onPick,
}: {
  zones: readonly ZoneFeature[];
  total: number;
  selectedId: string | null;
  onPick(id: string): void;
}) {
  return (
    <div className="zone-list">
      <h3 className="zone-list__title">
        {t('layers.results')}
        <span className="zone-list__count" aria-live="polite">
          {t('layers.resultCount', { shown: zones.length, total })}
        </span>
      </h3>
      {zones.length === 0 ? (
        <p className="zone-list__empty">{t('layers.noResults')}</p>
      ) : (
        <ul className="zone-list__items">
          {zones.slice(0, MAX_ROWS).map((z) => {
            const id = String(z.id);
            return (
              <li key={id}>
                <button
                  type="button"
                  className="zone-list__item"
                  aria-current={id === selectedId ? 'true' : undefined}
                  onClick={() => onPick(id)}
                >
                  <KindSwatch kind={z.properties.kind} />
                  <span className="zone-list__name">{z.properties.name}</span>
                  <span className="zone-list__kind">{kindLabel(z.properties.kind)}</span>
                  <span className="zone-list__marking">
                    <MarkingBadge text={z.properties.markingText} />
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
});
