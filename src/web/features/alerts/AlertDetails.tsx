import { useCallback, useEffect, useRef, useState } from 'react';
import { DetailRow } from '../../app/details';
import { MarkingBadge } from '../../app/MarkingBadge';
import { followLink, paths } from '../../app/router';
import { formatUtcSeconds, t } from '../../i18n/t';
import { formatLatLon } from '../../map/coords';
import { AlertActions } from './AlertActions';
import { alertsApi } from './alertsApi';
import { historyText, statusLabel, triggerLabel } from './labels';
import { SeverityTag } from './SeverityTag';
import { type AlertFeature, type AlertHistoryEntry, alertLonLat } from './types';

interface AlertDetailsProps {
  id: string;
  /** Undefined when the alert left the store (no longer released to this user). */
  alert: AlertFeature | undefined;
  canAct: boolean;
  username: string;
  onChanged(alert: AlertFeature): void;
  onBack(): void;
  onCentre(alert: AlertFeature): void;
}

type Timeline =
  | { status: 'loading' }
  | { status: 'loaded'; entries: AlertHistoryEntry[] }
  | { status: 'failed'; detail: string };

/** One alert: what happened where, its marking, the actions allowed, and its timeline. */
export function AlertDetails({
  id,
  alert,
  canAct,
  username,
  onChanged,
  onBack,
  onCentre,
}: AlertDetailsProps) {
  const [timeline, setTimeline] = useState<Timeline>({ status: 'loading' });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const version = alert?.properties.version;

  const load = useCallback(async () => {
    try {
      const full = await alertsApi.get(id);
      setTimeline({ status: 'loaded', entries: full.actions });
      const { actions: _a, ...feature } = full;
      onChanged(feature);
    } catch (e) {
      setTimeline({ status: 'failed', detail: e instanceof Error ? e.message : String(e) });
    }
  }, [id, onChanged]);

  // The timeline follows the alert: each new version (an action here or elsewhere) reloads it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload per version, not per render.
  useEffect(() => {
    void load();
  }, [id, version]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus once per alert opened.
  useEffect(() => {
    headingRef.current?.focus();
  }, [id]);

  const p = alert?.properties;
  return (
    <section className="alert-details" data-testid="alert-details" aria-labelledby="alert-details-title">
      <button type="button" className="link-button" onClick={onBack} data-testid="alert-back">
        ← {t('alerts.back')}
      </button>
      <h3 id="alert-details-title" className="alert-details__title" ref={headingRef} tabIndex={-1}>
        {p ? p.summary : t('alerts.title')}
      </h3>
      {!alert || !p ? (
        <p className="notice" role="status">
          {t('alerts.gone')}
        </p>
      ) : (
        <>
          <div className="alert-details__tags">
            <SeverityTag severity={p.severity} />
            <span className={`alert-status alert-status--${p.status}`} data-testid="alert-status">
              {statusLabel(p.status)}
            </span>
            <MarkingBadge text={p.markingText} />
          </div>
          <dl className="details__list">
            <DetailRow label={t('alerts.trigger')}>{triggerLabel(p.trigger)}</DetailRow>
            {p.trackCallsign !== null && <DetailRow label={t('alerts.track')}>{p.trackCallsign}</DetailRow>}
            {p.zoneName !== null && p.zoneVersion !== null && (
              <DetailRow label={t('alerts.zone')}>
                {t('alerts.zoneVersion', { name: p.zoneName, version: p.zoneVersion })}
              </DetailRow>
            )}
            {p.notificationId && (
              <DetailRow label={t('alerts.notification')}>
                <a
                  href={paths.notification(p.notificationId)}
                  onClick={followLink}
                  data-testid="alert-notification-link"
                >
                  {t('alerts.openNotification')}
                </a>
              </DetailRow>
            )}
            {p.incidentId && (
              <DetailRow label={t('alerts.incident')}>
                <a href={paths.incident(p.incidentId)} onClick={followLink} data-testid="alert-incident-link">
                  {t('alerts.openIncident')}
                </a>
              </DetailRow>
            )}
            <DetailRow label={t('alerts.at')}>{formatUtcSeconds(p.at)}</DetailRow>
            <DetailRow label={t('alerts.raisedAt')}>{formatUtcSeconds(p.raisedAt)}</DetailRow>
            <DetailRow label={t('alerts.position')}>{formatLatLon(...alertLonLat(alert))}</DetailRow>
            <DetailRow label={t('alerts.assignee')}>{p.assignee ?? t('alerts.nobody')}</DetailRow>
            {p.note && <DetailRow label={t('alerts.note')}>{p.note}</DetailRow>}
            <DetailRow label={t('alerts.marking')}>
              <span data-testid="alert-marking">{p.markingText}</span>
            </DetailRow>
          </dl>
          <button type="button" className="button button--secondary" onClick={() => onCentre(alert)}>
            {t('alerts.centre')}
          </button>
          {canAct ? (
            <AlertActions alert={alert} username={username} onChanged={onChanged} onReload={load} />
          ) : (
            <p className="muted">{t('alerts.readOnly')}</p>
          )}
        </>
      )}
      <h4 className="details__subtitle">{t('alerts.timeline')}</h4>
      {timeline.status === 'loading' && <p className="muted">{t('alerts.timelineLoading')}</p>}
      {timeline.status === 'failed' && (
        <p className="error-text">{t('alerts.timelineFailed', { detail: timeline.detail })}</p>
      )}
      {timeline.status === 'loaded' && (
        <ol className="alert-timeline" data-testid="alert-timeline">
          {timeline.entries.map((e) => (
            <li key={`${e.version}-${e.action}`} className="alert-timeline__item">
              <span>{historyText(e)}</span>
              <time className="alert-timeline__time" dateTime={e.at}>
                {formatUtcSeconds(e.at)}
              </time>
              {e.note && <span className="alert-timeline__note">{e.note}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
