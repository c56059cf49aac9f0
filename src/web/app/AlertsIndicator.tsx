import { t } from '../i18n/t';

/**
 * The alerts bell with its count. No alerts source exists yet, so it shows 0; it is a button (with
 * the state as its description) so that keyboard users reach it, ready for the alerts list later.
 */
export function AlertsIndicator({ count = 0 }: { count?: number }) {
  const description = count === 0 ? t('alerts.none') : undefined;
  return (
    <button
      type="button"
      className="alerts"
      data-testid="alerts-indicator"
      data-count={count}
      aria-label={t('alerts.label', { count })}
      aria-disabled={count === 0 ? true : undefined}
      title={description ?? t('alerts.label', { count })}
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
