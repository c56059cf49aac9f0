import { useCallback, useEffect, useState } from 'react';
import type { NotificationAction, NotificationFeature } from '../../../domain/deconfliction';
import { mayKeepFacilities } from '../../../domain/facilities';
import type { Marking } from '../../../domain/marking';
import { hasPermission } from '../../../domain/roles';
import { ApiError } from '../../app/api';
import type { Me } from '../../app/auth';
import { followLink, paths } from '../../app/router';
import { t } from '../../i18n/t';
import '../../styles/notifications.css';
import { PageNoticeLine } from '../../app/PageNoticeLine';
import type { PageNotice } from '../../app/useRecordPage';
import { actionLabel } from './labels';
import { NotificationActions } from './NotificationActions';
import { NotificationRow } from './NotificationRow';
import { type NotificationActionBody, notificationsApi } from './notificationsApi';

interface NotificationsPageProps {
  me: Me;
  /** Bumped on every live change of a notification: the lists are fetched again. */
  revision: number;
  onChanged(feature: NotificationFeature): void;
  onMarkings(markings: readonly Marking[]): void;
}

type Lists = { queue: NotificationFeature[] | null; list: NotificationFeature[]; truncated: boolean };
const LIMIT = 500;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Humanitarian users see their organisation's notifications and notify; party liaisons their queue
 * with the answers; the centre every notification, with the transmit action.
 */
export function NotificationsPage({ me, revision, onChanged, onMarkings }: NotificationsPageProps) {
  const notifier = hasPermission(me.roles, 'aid:notify');
  const keeper = mayKeepFacilities(me.roles);
  const liaison = hasPermission(me.roles, 'aid:answer') && me.nation !== null;
  const [lists, setLists] = useState<Lists | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<PageNotice | null>(null);

  const load = useCallback(
    () =>
      Promise.all([
        liaison ? notificationsApi.queue() : Promise.resolve(null),
        notificationsApi.list({ mine: notifier && !me.roles.includes('admin'), limit: LIMIT }),
      ]).then(
        ([queue, list]) => {
          setLists({
            queue: queue?.features ?? null,
            list: list.features,
            truncated: list.truncated === true,
          });
          setError(null);
        },
        (e: unknown) => setError(t('notifications.loadFailed', { detail: message(e) })),
      ),
    [liaison, notifier, me.roles],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: the revision says when to fetch again.
  useEffect(() => {
    void load();
  }, [load, revision]);

  useEffect(() => {
    onMarkings(lists ? [...(lists.queue ?? []), ...lists.list].map((f) => f.properties.marking) : []);
  }, [lists, onMarkings]);

  const run = async (f: NotificationFeature, action: NotificationAction, body?: NotificationActionBody) => {
    setBusy(true);
    setNotice(null);
    try {
      const d = await notificationsApi.act(f.id, action, f.properties.version, body);
      onChanged(d.feature);
      setNotice({
        kind: 'ok',
        text: `${f.properties.number}: ${t('notification.done', { action: actionLabel(action).replace(/…$/, '') })}`,
      });
      await load();
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        await load();
        setNotice({ kind: 'conflict', text: t('notification.conflict') });
      } else setNotice({ kind: 'error', text: t('notification.actionFailed', { detail: message(e) }) });
      return false;
    } finally {
      setBusy(false);
    }
  };

  // Rows carry their actions for the liaison's queue and the centre; the organisation acts on the page.
  const rowsWithActions = (features: readonly NotificationFeature[], withActions: boolean, testId: string) =>
    features.length === 0 ? null : (
      <ul className="incident-list" data-testid={testId}>
        {features.map((f) => (
          <NotificationRow key={f.id} feature={f}>
            {withActions && (
              <NotificationActions
                key={`${f.id}:${f.properties.version}`}
                feature={f}
                busy={busy}
                run={(a, b) => run(f, a, b)}
              />
            )}
          </NotificationRow>
        ))}
      </ul>
    );

  return (
    <div className="page notifications-page" data-testid="notifications-page">
      <header className="page__header">
        <h2 className="page__title">{t('notifications.title')}</h2>
        {(notifier || keeper) && (
          <div className="page__actions">
            {keeper && (
              <a
                className="button button--secondary"
                href={paths.newFacility}
                onClick={followLink}
                data-testid="facility-new"
              >
                {t('facilities.new')}
              </a>
            )}
            {notifier && (
              <a
                className="button button--primary"
                href={paths.newNotification}
                onClick={followLink}
                data-testid="notification-new"
              >
                {t('notifications.new')}
              </a>
            )}
          </div>
        )}
      </header>
      <PageNoticeLine notice={notice} testId="notifications-notice" />
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {!lists && !error && (
        <p className="muted" role="status">
          {t('notifications.loading')}
        </p>
      )}
      {lists?.queue && (
        <section
          className="section"
          aria-labelledby="notification-queue-title"
          data-testid="notification-queue"
        >
          <h3 id="notification-queue-title" className="section__title">
            {t('notifications.queueTitle')}
          </h3>
          {rowsWithActions(lists.queue, true, 'notification-queue-list') ?? (
            <p className="muted">{t('notifications.queueEmpty')}</p>
          )}
        </section>
      )}
      {lists && (
        <section className="section" aria-labelledby="notification-list-title">
          <h3 id="notification-list-title" className="section__title">
            {notifier ? t('notifications.mineTitle') : t('notifications.allTitle')}
          </h3>
          <p className="muted" aria-live="polite" data-testid="notification-count">
            {t('notifications.count', { count: lists.list.length })}
          </p>
          {lists.truncated && <p className="notice">{t('notifications.truncated', { count: LIMIT })}</p>}
          {rowsWithActions(lists.list, !notifier && !liaison, 'notification-list') ?? (
            <p className="muted">{t('notifications.empty')}</p>
          )}
        </section>
      )}
    </div>
  );
}
