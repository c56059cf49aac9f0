import { useEffect } from 'react';
import type {
  NotificationAction,
  NotificationCorrelation,
  NotificationFeature,
  NotificationHistoryEntry,
} from '../../../domain/deconfliction';
import type { Marking } from '../../../domain/marking';
import { DetailRow } from '../../app/details';
import { MarkingBadge } from '../../app/MarkingBadge';
import { BackLink, RecordPending } from '../../app/RecordPending';
import { followLink, paths } from '../../app/router';
import { type RecordPageTexts, useRecordPage } from '../../app/useRecordPage';
import { formatUtc, t } from '../../i18n/t';
import { partyLabel } from '../incidents/labels';
import '../../styles/notifications.css';
import { PageNoticeLine } from '../../app/PageNoticeLine';
import { actionLabel, stateLabel } from './labels';
import { NotificationActions } from './NotificationActions';
import { DueText, PartyAnswers, StateTag, windowText } from './NotificationRow';
import { type NotificationActionBody, notificationsApi } from './notificationsApi';

interface NotificationPageProps {
  id: string;
  /** The version the live feed knows: a newer one than shown is fetched. */
  liveVersion: number | null;
  /** The name of a facility on the map, by id. */
  facilityName?(id: string): string | undefined;
  onChanged(feature: NotificationFeature): void;
  onMarkings(markings: readonly Marking[]): void;
}

const TEXTS: RecordPageTexts = {
  loadFailed: (detail) => t('notification.loadFailed', { detail }),
  conflict: () => t('notification.conflict'),
  actionFailed: (detail) => t('notification.actionFailed', { detail }),
};

/** One notification: facts, the actions allowed, the alerts correlated with it, and every answer. */
export function NotificationPage({
  id,
  liveVersion,
  facilityName,
  onChanged,
  onMarkings,
}: NotificationPageProps) {
  const { detail, loadError, busy, notice, send } = useRecordPage({
    id,
    get: notificationsApi.get,
    liveVersion,
    onChanged,
    texts: TEXTS,
  });

  useEffect(() => {
    onMarkings(detail ? [detail.feature.properties.marking] : []);
  }, [detail, onMarkings]);

  const run = async (action: NotificationAction, body?: NotificationActionBody) =>
    !!detail &&
    send(
      () => notificationsApi.act(id, action, detail.feature.properties.version, body),
      t('notification.done', { action: actionLabel(action).replace(/…$/, '') }),
    );

  if (!detail)
    return (
      <RecordPending
        className="notification-page"
        testId="notification-page"
        back={back()}
        loadError={loadError}
        notFound={t('notification.notFound', { id })}
        loading={t('notification.loading')}
      />
    );

  const f = detail.feature;
  const p = f.properties;
  return (
    <div className="page notification-page" data-testid="notification-page" data-state={p.state}>
      <BackLink {...back()} />
      <header className="incident-header">
        <p className="incident-header__number" data-testid="notification-number">
          {p.number}
        </p>
        <h2 className="page__title">{p.title}</h2>
        <div className="incident-header__tags">
          <StateTag state={p.state} />
          <MarkingBadge text={p.markingText} />
        </div>
        {p.noticeText && (
          <p className="notice-only notice-only--banner" data-testid="notification-notice-only">
            {t('notifications.noticeOnly')}
          </p>
        )}
        {p.leadTimeWarning && (
          <p className="lead-warning" data-testid="notification-lead-time">
            <strong>{t('notifications.leadTime')}:</strong> {p.leadTimeWarning}
          </p>
        )}
      </header>
      <PageNoticeLine notice={notice} testId="notification-notice" />
      <div className="incident-page__grid">
        <div className="incident-page__main">
          <section className="section" aria-labelledby="notification-facts-title">
            <h3 id="notification-facts-title" className="section__title">
              {t('notification.facts')}
            </h3>
            <dl className="details__list">
              <DetailRow label={t('notification.kind')}>{t(`notifications.kind.${p.kind}`)}</DetailRow>
              <DetailRow label={t('notification.priority')}>
                {t(`notifications.priority.${p.priority}`)}
              </DetailRow>
              <DetailRow label={t('notifications.window')}>
                {windowText(p.windowStart, p.windowEnd)}
              </DetailRow>
              <DetailRow label={t('notifications.organisation')}>{p.organisation}</DetailRow>
              <DetailRow label={t('notifications.answers')}>
                <PartyAnswers p={p} />
              </DetailRow>
              {p.answerDueAt && (
                <DetailRow label={t('notifications.due')}>
                  <DueText p={p} />
                  {!['transmitted', 'acknowledged'].includes(p.state) && formatUtc(p.answerDueAt)}
                </DetailRow>
              )}
              {p.vehicles !== null && <DetailRow label={t('notification.vehicles')}>{p.vehicles}</DetailRow>}
              {p.personnel !== null && (
                <DetailRow label={t('notification.personnel')}>{p.personnel}</DetailRow>
              )}
              {p.delayMinutes !== null && (
                <DetailRow label={t('notification.delay')}>
                  {t('notification.delayValue', { minutes: p.delayMinutes })}
                </DetailRow>
              )}
              {p.facilityId && (
                <DetailRow label={t('notification.facility')}>
                  <a href={paths.facility(p.facilityId)} onClick={followLink}>
                    {facilityName?.(p.facilityId) ?? t('notification.facility')}
                  </a>
                </DetailRow>
              )}
              {p.submittedAt && (
                <DetailRow label={t('notification.submittedAt')}>{formatUtc(p.submittedAt)}</DetailRow>
              )}
              {p.transmittedAt && (
                <DetailRow label={t('notification.transmittedAt')}>{formatUtc(p.transmittedAt)}</DetailRow>
              )}
              {p.createdBy && <DetailRow label={t('notification.createdBy')}>{p.createdBy}</DetailRow>}
              {p.details && <DetailRow label={t('notification.details')}>{p.details}</DetailRow>}
              <DetailRow label={t('notification.marking')}>{p.markingText}</DetailRow>
            </dl>
          </section>
          <Correlations correlations={detail.correlations} />
        </div>
        <div className="incident-page__side">
          <section className="section section--actions" aria-labelledby="notification-actions-title">
            <h3 id="notification-actions-title" className="section__title">
              {t('notification.actions')}
            </h3>
            {(p.allowedActions ?? []).length === 0 ? (
              <p className="muted">{t('notification.noActions')}</p>
            ) : (
              <NotificationActions key={`${id}:${p.version}`} feature={f} busy={busy} run={run} />
            )}
          </section>
          <History entries={detail.history} />
        </div>
      </div>
    </div>
  );
}

function Correlations({ correlations }: { correlations: readonly NotificationCorrelation[] }) {
  return (
    <section
      className="section"
      aria-labelledby="notification-correlations-title"
      data-testid="notification-correlations"
    >
      <h3 id="notification-correlations-title" className="section__title">
        {t('notification.correlations')}
      </h3>
      {correlations.length === 0 ? (
        <p className="muted">{t('notification.correlationsNone')}</p>
      ) : (
        <ul className="correlation-list">
          {correlations.map((c) => (
            <li
              key={c.alertId}
              className="correlation"
              data-testid="notification-correlation"
              data-alert-id={c.alertId}
            >
              <p className="correlation__summary">{c.summary}</p>
              <p className="muted">
                {formatUtc(c.at)}
                {c.distanceM !== null && ` · ${t('notification.distance', { m: Math.round(c.distanceM) })}`}
              </p>
              {!c.releasedToOrganisation && (
                <p className="lead-warning" data-testid="correlation-not-released">
                  {t('notification.notReleased')}
                </p>
              )}
              <div className="correlation__links">
                <MarkingBadge text={c.markingText} />
                {c.incidentId && (
                  <a
                    href={paths.incident(c.incidentId)}
                    onClick={followLink}
                    data-testid="correlation-incident"
                  >
                    {t('notification.openIncident')}
                  </a>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function History({ entries }: { entries: readonly NotificationHistoryEntry[] }) {
  return (
    <section className="section" aria-labelledby="notification-history-title">
      <h3 id="notification-history-title" className="section__title">
        {t('notification.history')}
      </h3>
      <ol className="timeline" data-testid="notification-history">
        {entries.map((e) => (
          <li
            key={`${e.version}-${e.action}-${e.party ?? ''}`}
            className="timeline__item"
            data-testid="notification-history-entry"
            data-action={e.action}
            data-party={e.party ?? undefined}
          >
            <time className="timeline__at" dateTime={e.at}>
              {formatUtc(e.at)}
            </time>
            <span>
              {t('notification.historyEntry', {
                action: actionLabel(e.action as NotificationAction).replace(/…$/, ''),
                who: e.actorName ?? e.actor ?? t('notification.system'),
              })}
              {e.party && ` ${t('notification.historyParty', { party: partyLabel(e.party) })}`}{' '}
              {t('notification.historyTo', { state: stateLabel(e.toState) })}
            </span>
            {e.reason && <span className="timeline__note">{e.reason}</span>}
            {e.delayMinutes !== null && (
              <span className="timeline__note">
                {t('notification.delayValue', { minutes: e.delayMinutes })}
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

const back = () => ({ href: paths.notifications(), label: t('notification.back') });
