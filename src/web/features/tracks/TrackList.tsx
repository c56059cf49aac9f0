import { memo } from 'react';
import { MarkingBadge } from '../../app/MarkingBadge';
import { t } from '../../i18n/t';
import { trackKindLabel } from './labels';
import { TrackSymbol } from './TrackSymbol';
import { type Affiliation, type TrackFeature, type TrackKind, trackAffiliation, trackKind } from './types';

/** As for zones: thousands of rows would stall typing; the search narrows the list. */
const MAX_ROWS = 200;

/** Primitive props only: a track that moved but still reads the same does not re-render its row. */
const TrackRow = memo(function TrackRow({
  id,
  callsign,
  sidc,
  kind,
  affiliation,
  organisation,
  markingText,
  selected,
  onPick,
}: {
  id: string;
  callsign: string;
  sidc: string;
  kind: TrackKind;
  affiliation: Affiliation;
  organisation: string | null;
  markingText: string;
  selected: boolean;
  onPick(uid: string): void;
}) {
  return (
    <li>
      <button
        type="button"
        className="zone-list__item track-list__item"
        aria-current={selected ? 'true' : undefined}
        onClick={() => onPick(id)}
      >
        <TrackSymbol sidc={sidc} kind={kind} affiliation={affiliation} size={14} />
        <span className="zone-list__name">{callsign}</span>
        <span className="zone-list__kind">
          {organisation ? `${trackKindLabel(kind)} · ${organisation}` : trackKindLabel(kind)}
        </span>
        <span className="zone-list__marking">
          <MarkingBadge text={markingText} />
        </span>
      </button>
    </li>
  );
});

export function TrackList({
  tracks,
  total,
  selectedId,
  onPick,
}: {
  tracks: readonly TrackFeature[];
  total: number;
  selectedId: string | null;
  onPick(uid: string): void;
}) {
  return (
    <div className="zone-list track-list" data-testid="track-list">
      <h3 className="zone-list__title">
        {t('layers.trackResults')}
        <span className="zone-list__count">{t('layers.trackCount', { shown: tracks.length, total })}</span>
      </h3>
      {tracks.length === 0 ? (
        <p className="zone-list__empty">{t('layers.noTracks')}</p>
      ) : (
        <ul className="zone-list__items">
          {tracks.slice(0, MAX_ROWS).map((f) => {
            const id = String(f.id);
            const p = f.properties;
            return (
              <TrackRow
                key={id}
                id={id}
                callsign={p.callsign || id}
                sidc={p.sidc}
                kind={trackKind(p)}
                affiliation={trackAffiliation(p)}
                organisation={p.organisation}
                markingText={p.markingText}
                selected={id === selectedId}
                onPick={onPick}
              />
            );
          })}
        </ul>
      )}
      {tracks.length > MAX_ROWS && (
        <p className="zone-list__empty">{t('layers.moreTracks', { shown: MAX_ROWS })}</p>
      )}
    </div>
  );
}
