import type { AlertSeverity } from '../../domain/alerts';
import { t } from '../i18n/t';

interface AlertsIndicatorProps {
  /** Open alerts the user may see. */
  count?: number;
  /** The worst severity among them: the bell takes its colour. */
  severity?: AlertSeverity | null;
  expanded?: boolean;
  onToggle?(): void;
}

/** The alerts bell with the number of open alerts; it opens and closes the alerts panel. */
export function AlertsIndicator({
  count = 0,
  severity = null,
  expanded = false,
  onToggle,
}: AlertsIndicatorProps) {
  const description =
    count === 0
      ? t('alerts.none')
      : t('alerts.openTitle', { count, severity: t(`alerts.severity.${severity ?? 'info'}`) });
  return (
    <button
      type="button"
      className={`alerts${count > 0 && severity ? ` alerts--${severity}` : ''}`}
      data-testid="alerts-indicator"
      data-count={count}
      data-severity={count > 0 ? (severity ?? undefined) : undefined}
      aria-label={t('alerts.label', { count })}
      aria-expanded={onToggle ? expanded : undefined}
      aria-controls={onToggle ? 'alerts-panel' : undefined}
      title={description}
      onClick={onToggle}
    >
      <svg className="alerts__bell" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
        <path
          d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6Zm-2.6 15.5a2.7 2.7 0 0 0 5.2 0Z"
          fill="currentColor"
        />
      </svg>
      <span className="alerts__count" aria-hidden="true">
        {count}
      </span>
    </button>
  );
}
