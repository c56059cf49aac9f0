import { t } from '../../i18n/t';
import { affiliationLabel, trackKindLabel } from './labels';
import { affiliationSidc, genericSidc } from './symbols';
import { TrackSymbol } from './TrackSymbol';
import { AFFILIATIONS, TRACK_KINDS, type TrackKind } from './types';

interface TrackKindsProps {
  counts: ReadonlyMap<TrackKind, number>;
  visible: ReadonlySet<TrackKind>;
  onToggle(kind: TrackKind): void;
  onShowAll(show: boolean): void;
}

/** One toggle per kind of track with its count, and the affiliation legend in the map's symbols. */
export function TrackKinds({ counts, visible, onToggle, onShowAll }: TrackKindsProps) {
  return (
    <>
      <fieldset className="kinds">
        <legend className="kinds__legend">
          <span>{t('layers.trackLegend')}</span>
          <span className="kinds__bulk">
            <button type="button" className="link-button" onClick={() => onShowAll(true)}>
              {t('layers.all')}
            </button>
            <button type="button" className="link-button" onClick={() => onShowAll(false)}>
              {t('layers.none')}
            </button>
          </span>
        </legend>
        <ul className="kinds__list">
          {TRACK_KINDS.map((kind) => (
            <li key={kind}>
              <label className="kind-toggle">
                <input
                  type="checkbox"
                  checked={visible.has(kind)}
                  onChange={() => onToggle(kind)}
                  data-testid={`track-toggle-${kind}`}
                />
                <TrackSymbol sidc={genericSidc(kind, 'friend')} kind={kind} affiliation="friend" size={14} />
                <span className="kind-toggle__name">{trackKindLabel(kind)}</span>
                <span className="kind-toggle__count" data-testid={`track-count-${kind}`}>
                  {counts.get(kind) ?? 0}
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="affiliations">
        <h3 className="kinds__legend">{t('layers.affiliations')}</h3>
        <ul className="affiliations__list" data-testid="affiliation-legend">
          {AFFILIATIONS.map((a) => (
            <li key={a} className="affiliations__item">
              <TrackSymbol sidc={affiliationSidc(a)} kind="unit" affiliation={a} size={14} />
              <span>{affiliationLabel(a)}</span>
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}
