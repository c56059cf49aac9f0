import { useEffect, useId, useRef } from 'react';
import { t } from '../../../i18n/t';
import { ConflictNotice } from './ConflictNotice';
import type { EditorState, ZoneEditor } from './useZoneEditor';

/** Reshaping a zone on the map: drag vertices, then save it as a new version. */
export function GeometryPanel({
  state,
  editor,
  conflict,
}: {
  state: Extract<EditorState, { step: 'edit-geometry' }>;
  editor: ZoneEditor;
  conflict: number | null;
}) {
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const p = state.zone.properties;
  const isPoint = (state.geometry as { type?: string }).type === 'Point';
  return (
    <section className="panel editor-panel" aria-labelledby={`${id}-t`} data-testid="geometry-panel">
      <h2 className="panel__title" id={`${id}-t`} ref={headingRef} tabIndex={-1}>
        {t('geometry.title', { name: p.name })}
      </h2>
      <p className="field__hint">{t('geometry.version', { version: p.version })}</p>
      {conflict !== null && (
        <ConflictNotice version={conflict} onReload={editor.reload} refusals={state.refusals} />
      )}
      {state.reloaded && conflict === null && (
        <p className="notice" role="status">
          {t('conflict.reloaded', { version: p.version })}
        </p>
      )}
      <p>{t(isPoint ? 'geometry.howPoint' : 'geometry.how')}</p>
      {state.error && (
        <p className="form-error" role="alert" data-testid="geometry-error">
          {state.error}
        </p>
      )}
      <div className="form__actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="geometry-save"
          disabled={state.busy}
          onClick={() => void editor.saveGeometry()}
        >
          {state.busy ? t('form.saving') : t('geometry.save')}
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={editor.cancel}
          disabled={state.busy}
        >
          {t('form.cancel')}
        </button>
      </div>
    </section>
  );
}
