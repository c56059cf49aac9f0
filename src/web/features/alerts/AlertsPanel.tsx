import { useEffect, useMemo, useState } from 'react';
import { CloseButton } from '../../app/details';
import { t } from '../../i18n/t';
import { AlertDetails } from './AlertDetails';
import { AlertList } from './AlertList';
import { alertsApi } from './alertsApi';
import { statusLabel } from './labels';
import { ALERT_STATUSES, type AlertFeature, type AlertStatus } from './types';
import type { AlertsModel } from './useAlerts';

interface AlertsPanelProps {
  alerts: AlertsModel;
  canAct: boolean;
  username: string;
  selectedId: string | null;
  onSelect(id: string | null): void;
  onCentre(alert: AlertFeature): void;
  onClose(): void;
}

const DEFAULT_FILTER: ReadonlySet<AlertStatus> = new Set(['open', 'acknowledged']);

/** The alerts list with status filters and the sound switch, or one alert's details. */
export function AlertsPanel({
  alerts,
  canAct,
  username,
  selectedId,
  onSelect,
  onCentre,
  onClose,
}: AlertsPanelProps) {
  const [filter, setFilter] = useState<ReadonlySet<AlertStatus>>(DEFAULT_FILTER);
  const [error, setError] = useState<string | null>(null);
  const { store } = alerts;
  const key = [...filter].sort().join(',');

  // The live feed holds the last day's open and acknowledged alerts; older and resolved ones come
  // from the server when the filter asks for them.
  useEffect(() => {
    const statuses = key.split(',').filter(Boolean) as AlertStatus[];
    if (statuses.length === 0) return;
    let live = true;
    alertsApi.list(statuses).then(
      (fc) => {
        if (!live) return;
        store.merge(fc.features);
        setError(null);
      },
      (e: unknown) =>
        live && setError(t('alerts.loadFailed', { detail: e instanceof Error ? e.message : String(e) })),
    );
    return () => {
      live = false;
    };
  }, [key, store]);

  const shown = useMemo(
    () => alerts.alerts.filter((a) => filter.has(a.properties.status)),
    [alerts.alerts, filter],
  );

  const toggle = (s: AlertStatus) =>
    setFilter((prev) => {
      const next = new Set(prev);
      if (next.has(s)) next.delete(s);
      else next.add(s);
      return next;
    });

  return (
    <section
      className="panel alerts-panel"
      id="alerts-panel"
      data-testid="alerts-panel"
      aria-labelledby="alerts-title"
    >
      <header className="details__header">
        <h2 id="alerts-title" className="panel__title">
          {t('alerts.title')}
        </h2>
        <CloseButton label={t('alerts.close')} onClose={onClose} />
      </header>
      {selectedId ? (
        <AlertDetails
          id={selectedId}
          alert={alerts.byId.get(selectedId)}
          canAct={canAct}
          username={username}
          onChanged={(a) => store.merge([a])}
          onBack={() => onSelect(null)}
          onCentre={onCentre}
        />
      ) : (
        <>
          <fieldset className="alert-filters">
            <legend className="kinds__legend">{t('alerts.filters')}</legend>
            <div className="alert-filters__chips">
              {ALERT_STATUSES.map((s) => (
                <button
                  key={s}
                  type="button"
                  className="alert-chip"
                  aria-pressed={filter.has(s)}
                  data-testid={`alert-filter-${s}`}
                  onClick={() => toggle(s)}
                >
                  {statusLabel(s)}
                </button>
              ))}
            </div>
          </fieldset>
          <label className="alert-sound">
            <input
              type="checkbox"
              checked={alerts.sound}
              onChange={alerts.toggleSound}
              data-testid="alert-sound"
            />
            {t('alerts.sound')}
          </label>
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
          <p className="zone-list__count" aria-live="polite">
            {t('alerts.count', { shown: shown.length })}
          </p>
          <AlertList alerts={shown} selectedId={selectedId} onPick={onSelect} />
        </>
      )}
    </section>
  );
}
