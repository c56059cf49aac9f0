import type { Marking } from '../../../domain/marking';
import { hasPermission } from '../../../domain/roles';
import type { ZoneFeature } from '../../../domain/zones';
import type { Me } from '../../app/auth';
import type { Route } from '../../app/router';
import { t } from '../../i18n/t';
import type { AidMapState, AidStore } from './aidStore';
import { NotificationForm } from './NotificationForm';
import { NotificationPage } from './NotificationPage';
import { NotificationsPage } from './NotificationsPage';

/** What the pages of the aid picture (notifications, facilities) are given by the page host. */
export interface AidRoutePagesProps {
  me: Me;
  route: Route;
  zones: readonly ZoneFeature[];
  aid: AidMapState;
  aidStore: AidStore;
  onMarkings(markings: readonly Marking[]): void;
}

/** The humanitarian access pages: notifications, the form, one notification. */
export function NotificationPages({ me, route, zones, aid, aidStore, onMarkings }: AidRoutePagesProps) {
  const merge = (f: Parameters<AidStore['merge']>[0]) => aidStore.merge(f);
  switch (route.page) {
    case 'notifications':
      return <NotificationsPage me={me} revision={aid.revision} onChanged={merge} onMarkings={onMarkings} />;
    case 'notification-new':
      return (
        <div className="page report-page">
          <header className="page__header">
            <h2 className="page__title">{t('notifications.form.title')}</h2>
          </header>
          {hasPermission(me.roles, 'aid:notify') ? (
            <NotificationForm
              me={me}
              zones={zones}
              facilities={aid.facilities}
              onMarkings={onMarkings}
              onCreated={(d) => merge(d.feature)}
            />
          ) : (
            <p role="alert">{t('notifications.form.notAllowed')}</p>
          )}
        </div>
      );
    case 'notification':
      return (
        <NotificationPage
          key={route.id}
          id={route.id}
          liveVersion={aid.notifications.find((n) => n.id === route.id)?.properties.version ?? null}
          facilityName={(fid) => aid.facilities.find((f) => f.id === fid)?.properties.name}
          onChanged={merge}
          onMarkings={onMarkings}
        />
      );
    default:
      return null;
  }
}
