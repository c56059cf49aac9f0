import { useEffect, useId, useRef } from 'react';
import { t } from '../../../i18n/t';
import { ConflictNotice } from './ConflictNotice';
import type { DeleteState } from './useZoneEditor';

/** A modal confirmation naming the zone; Escape or Cancel keeps it. */
export function DeleteDialog({
  state,
  onConfirm,
  onCancel,
  onReload,
}: {
  state: NonNullable<DeleteState>;
  onConfirm(): void;
  onCancel(): void;
  onReload(): Promise<void>;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const p = state.zone.properties;
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-d`}
      data-testid="delete-dialog"
      onCancel={(e) => {
        e.preventDefault();
        if (!state.busy) onCancel();
      }}
      // The shell closes the details panel on Escape; inside the dialog Escape only closes the dialog.
      onKeyDown={(e) => {
        if (e.key === 'Escape') e.stopPropagation();
      }}
    >
      <h2 className="dialog__title" id={`${id}-t`}>
        {t('delete.title', { name: p.name })}
      </h2>
      <p id={`${id}-d`}>{t('delete.body', { version: p.version })}</p>
      {state.conflict !== null && (
        <ConflictNotice version={state.conflict} onReload={onReload} refusals={1} />
      )}
      {state.error && (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      )}
      <div className="form__actions dialog__actions">
        <button type="button" className="button button--secondary" onClick={onCancel} disabled={state.busy}>
          {t('form.cancel')}
        </button>
        <button
          type="button"
          className="button button--danger"
          data-testid="confirm-delete"
          onClick={onConfirm}
          disabled={state.busy || state.conflict !== null}
        >
          {state.busy ? t('delete.deleting') : t('delete.confirm')}
        </button>
      </div>
    </dialog>
  );
}
