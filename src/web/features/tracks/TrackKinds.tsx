import { LayerGroup, LayerToggle } from '../../app/layerToggle';
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
      <LayerGroup title={t('layers.trackLegend')} onShowAll={onShowAll}>
        {TRACK_KINDS.map((kind) => (
          <li key={kind}>
            <LayerToggle
              checked={visible.has(kind)}
              onChange={() => onToggle(kind)}
              testId={`track-toggle-${kind}`}
              swatch={
                <TrackSymbol sidc={genericSidc(kind, 'friend')} kind={kind} affiliation="friend" size={14} />
              }
              name={trackKindLabel(kind)}
              count={counts.get(kind) ?? 0}
              countTestId={`track-count-${kind}`}
            />
          </li>
        ))}
      </LayerGroup>
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
