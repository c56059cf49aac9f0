import { t } from '../i18n/t';
import type { LiveStatus } from './live';

const LABEL = {
  connecting: 'live.connecting',
  live: 'live.live',
  reconnecting: 'live.reconnecting',
  offline: 'live.offline',
} as const;

/** Whether the picture is live: the dot's colour is doubled by the text, never colour alone. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <div
      className={`live live--${status}`}
      data-testid="live-status"
      data-status={status}
      role="status"
      aria-label={t('live.label')}
      title={t('live.label')}
    >
      <span className="live__dot" aria-hidden="true" />
      <span className="live__text">{t(LABEL[status])}</span>
    </div>
  );
}
