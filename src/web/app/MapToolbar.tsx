import { t } from '../i18n/t';

interface MapToolbarProps {
  /** Planners and administrators draw and import zones; everyone may measure. */
  canEdit: boolean;
  drawing: boolean;
  importing: boolean;
  measuring: boolean;
  /** While a shape is being drawn, another pointer tool would take its clicks. */
  busy: boolean;
  /** A form or a reshaped zone is open: starting something else would throw it away. */
  editing: boolean;
  onDraw(): void;
  onImport(): void;
  onMeasure(): void;
  /** Replay mode is on: the button then reads as pressed, and pressing it goes back to live. */
  replaying?: boolean;
  onReplay?(): void;
}

/** The tools over the map: draw a zone, import a GeoJSON file, measure a distance. */
export function MapToolbar(p: MapToolbarProps) {
  return (
    <div className="map-toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      {p.canEdit && (
        <>
          <button
            type="button"
            className="map-toolbar__button"
            data-testid="draw-zone"
            aria-pressed={p.drawing}
            disabled={p.editing}
            title={p.editing ? t('toolbar.finishFirst') : undefined}
            onClick={p.onDraw}
          >
            <span className="map-toolbar__icon" aria-hidden="true">
              ✎
            </span>
            <span className="map-toolbar__long">{t('toolbar.draw')}</span>
            <span className="map-toolbar__short">{t('toolbar.drawShort')}</span>
          </button>
          <button
            type="button"
            className="map-toolbar__button"
            data-testid="import-zones"
            aria-pressed={p.importing}
            disabled={p.editing}
            title={p.editing ? t('toolbar.finishFirst') : undefined}
            onClick={p.onImport}
          >
            <span className="map-toolbar__icon" aria-hidden="true">
              ⇪
            </span>
            <span className="map-toolbar__long">{t('toolbar.import')}</span>
            <span className="map-toolbar__short">{t('toolbar.importShort')}</span>
          </button>
        </>
      )}
      <button
        type="button"
        className="map-toolbar__button"
        data-testid="measure-tool"
        aria-pressed={p.measuring}
        disabled={p.busy && !p.measuring}
        onClick={p.onMeasure}
      >
        <span className="map-toolbar__icon" aria-hidden="true">
          ↔
        </span>
        {t('toolbar.measure')}
      </button>
      {p.onReplay && (
        <button
          type="button"
          className="map-toolbar__button"
          data-testid="replay-tool"
          aria-pressed={p.replaying ?? false}
          disabled={p.editing && !p.replaying}
          title={t('toolbar.replayTitle')}
          onClick={p.onReplay}
        >
          <span className="map-toolbar__icon" aria-hidden="true">
            ⟲
          </span>
          {t('toolbar.replay')}
        </button>
      )}
    </div>
  );
}
