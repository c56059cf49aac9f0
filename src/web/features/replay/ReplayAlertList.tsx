import { formatUtcSeconds, t } from '../../i18n/t';
import type { ReplayAlert } from './alerts';
import type { ReplayAlerts } from './useReplay';

interface ReplayAlertListProps {
  alerts: ReplayAlerts | null;
  onPick(alert: ReplayAlert): void;
}

/** The window's alerts, oldest first; choosing one moves the replay to its time. */
export function ReplayAlertList({ alerts, onPick }: ReplayAlertListProps) {
  return (
    <section className="replay-alerts" aria-label={t('replay.alerts')} data-testid="replay-alerts">
      <h3 className="replay-alerts__title">{t('replay.alerts')}</h3>
      {alerts === null ? null : alerts.kind === 'unavailable' ? (
        <p className="replay-alerts__note">{t('replay.alertsUnavailable')}</p>
      ) : alerts.kind === 'failed' ? (
        <p className="replay-alerts__note replay-alerts__note--error">
          {t('replay.alertsFailed', { detail: alerts.detail })}
        </p>
      ) : alerts.alerts.length === 0 ? (
        <p className="replay-alerts__note">{t('replay.alertsNone')}</p>
      ) : (
        <ul className="replay-alerts__list">
          {alerts.alerts.map((a) => (
            <li key={a.id}>
              <button type="button" className="replay-alerts__item" onClick={() => onPick(a)}>
                <span className={`replay-alerts__severity replay-alerts__severity--${a.severity}`}>
                  {t(`replay.severity.${a.severity}`)}
                </span>
                <span className="replay-alerts__time">
                  {formatUtcSeconds(new Date(a.at).toISOString()).slice(11)}
                </span>
                <span className="replay-alerts__summary">{a.summary}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
