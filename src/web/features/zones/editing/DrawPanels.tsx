import { useEffect, useId, useRef } from 'react';
import { ZONE_KINDS } from '../../../../domain/zones';
import { t } from '../../../i18n/t';
import { KindSwatch } from '../KindSwatch';
import { kindLabel } from '../kinds';
import type { EditorState, ZoneEditor } from './useZoneEditor';
import { type DrawableType, drawableTypes } from './zoneValues';

const GEOMETRY_LABEL = {
  Point: 'draw.point',
  LineString: 'draw.line',
  Polygon: 'draw.polygon',
} as const;

/** Step one of a new zone: what kind it is, and so which shape to draw. */
export function ChooseKindPanel({
  state,
  editor,
}: {
  state: Extract<EditorState, { step: 'choose' }>;
  editor: ZoneEditor;
}) {
  const id = useId();
  const selectRef = useRef<HTMLSelectElement>(null);
  const types = drawableTypes(state.kind);
  useEffect(() => {
    selectRef.current?.focus();
  }, []);
  return (
    <section
      className="panel editor-panel"
      aria-labelledby={`${id}-t`}
      data-testid="draw-panel"
      // Nothing is typed here yet, so Escape may simply leave.
      onKeyDown={(e) => {
        if (e.key === 'Escape') editor.cancel();
      }}
    >
      <h2 className="panel__title" id={`${id}-t`}>
        {t('draw.title')}
      </h2>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-kind`}>
          {t('draw.kind')}
        </label>
        <div className="field__row">
          <KindSwatch kind={state.kind} />
          <select
            id={`${id}-kind`}
            ref={selectRef}
            className="field__input"
            data-testid="draw-kind"
            value={state.kind}
            onChange={(e) => {
              const kind = ZONE_KINDS.find((k) => k === e.target.value);
              if (kind) editor.chooseKind(kind);
            }}
          >
            {ZONE_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {types.length > 1 ? (
        <fieldset className="segmented">
          <legend className="field__label">{t('draw.shape')}</legend>
          {types.map((g) => (
            <label key={g} className="segmented__option">
              <input
                type="radio"
                name={`${id}-shape`}
                value={g}
                checked={state.geometryType === g}
                onChange={() => editor.chooseGeometry(g)}
                data-testid={`draw-shape-${g}`}
              />
              <span>{t(GEOMETRY_LABEL[g])}</span>
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="field__hint">
          {t('draw.shapeFixed', { shape: t(GEOMETRY_LABEL[state.geometryType]) })}
        </p>
      )}
      <div className="form__actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="draw-start"
          onClick={editor.startDrawing}
        >
          {t('draw.start')}
        </button>
        <button type="button" className="button button--secondary" onClick={editor.cancel}>
          {t('form.cancel')}
        </button>
      </div>
    </section>
  );
}

const HOW: Record<DrawableType, 'draw.howPoint' | 'draw.howLine' | 'draw.howPolygon'> = {
  Point: 'draw.howPoint',
  LineString: 'draw.howLine',
  Polygon: 'draw.howPolygon',
};

/** Step two: drawing on the map, with buttons for what a double-click or Escape also does. */
export function DrawingPanel({
  state,
  editor,
  onFinish,
  onUndoPoint,
}: {
  state: Extract<EditorState, { step: 'drawing' }>;
  editor: ZoneEditor;
  onFinish(): void;
  onUndoPoint(): void;
}) {
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  return (
    <section
      className="panel editor-panel editor-panel--compact"
      aria-labelledby={`${id}-t`}
      data-testid="drawing-panel"
    >
      <h2 className="panel__title" id={`${id}-t`} ref={headingRef} tabIndex={-1}>
        {t('draw.drawing', { kind: kindLabel(state.kind) })}
      </h2>
      <p className="field__hint" id={`${id}-how`}>
        {t(HOW[state.geometryType])}
      </p>
      {state.problem && (
        <p className="form-error" role="alert" data-testid="draw-problem">
          {t('draw.problem', { problem: state.problem })}
        </p>
      )}
      <div className="form__actions">
        {state.geometryType !== 'Point' && (
          <>
            <button
              type="button"
              className="button button--primary"
              onClick={onFinish}
              data-testid="draw-finish"
            >
              {t('draw.finish')}
            </button>
            <button type="button" className="button button--secondary" onClick={onUndoPoint}>
              {t('draw.undoPoint')}
            </button>
          </>
        )}
        <button type="button" className="button button--secondary" onClick={editor.cancel}>
          {t('form.cancel')}
        </button>
      </div>
    </section>
  );
}
