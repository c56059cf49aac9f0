import type { ReactNode } from 'react';
import type { ZoneFeature, ZoneKind } from '../../../domain/zones';
import { LayerGroup, LayerToggle } from '../../app/layerToggle';
import { t } from '../../i18n/t';
import { KindSwatch } from './KindSwatch';
import { KIND_ORDER, kindLabel } from './kinds';
import { SearchBox } from './SearchBox';
import { ZoneList } from './ZoneList';

interface LayerPanelProps {
  counts: ReadonlyMap<ZoneKind, number>;
  visible: ReadonlySet<ZoneKind>;
  onToggle(kind: ZoneKind): void;
  onShowAll(show: boolean): void;
  query: string;
  onQuery(q: string): void;
  /** The zones that pass the toggles and the search. */
  shown: readonly ZoneFeature[];
  total: number;
  selectedId: string | null;
  onPick(id: string): void;
  /** The incidents toggle, under the zone kinds. */
  incidents?: ReactNode;
  /** The track toggles and legend, under the zone kinds. */
  tracks?: ReactNode;
  /** The tracks matching the search, under the matching zones. */
  trackResults?: ReactNode;
}

/**
 * Search, one toggle per zone kind with its count and legend symbol, the track toggles, and the
 * zones and tracks that match.
 */
export function LayerPanel(p: LayerPanelProps) {
  return (
    <section className="panel layer-panel" data-testid="layer-panel" aria-labelledby="layer-panel-title">
      <h2 id="layer-panel-title" className="panel__title">
        {t('layers.title')}
      </h2>
      <SearchBox value={p.query} onChange={p.onQuery} />
      <LayerGroup title={t('layers.legend')} onShowAll={p.onShowAll}>
        {KIND_ORDER.map((kind) => (
          <li key={kind}>
            <LayerToggle
              checked={p.visible.has(kind)}
              onChange={() => p.onToggle(kind)}
              testId={`layer-toggle-${kind}`}
              swatch={<KindSwatch kind={kind} />}
              name={kindLabel(kind)}
              count={p.counts.get(kind) ?? 0}
              countTestId={`zone-count-${kind}`}
            />
          </li>
        ))}
      </LayerGroup>
      {p.incidents}
      {p.tracks}
      <ZoneList zones={p.shown} total={p.total} selectedId={p.selectedId} onPick={p.onPick} />
      {p.trackResults}
    </section>
  );
}
