import { t } from '../../../i18n/t';
import type { Notice } from './useZoneEditor';

/** Confirms what just happened; after a delete it offers Undo while the message is up. */
export function NoticeToast({
  notice,
  onUndo,
  onDismiss,
}: {
  notice: Notice;
  onUndo(): void;
  onDismiss(): void;
}) {
  return (
    <div className="toast" role="status" data-testid="editor-notice">
      <p className="toast__text">{notice.text}</p>
      {notice.undo && (
        <button type="button" className="button button--secondary" data-testid="undo-delete" onClick={onUndo}>
          {t('delete.undo')}
        </button>
      )}
      <button
        type="button"
        className="icon-button toast__close"
        onClick={onDismiss}
        aria-label={t('toast.dismiss')}
      >
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
