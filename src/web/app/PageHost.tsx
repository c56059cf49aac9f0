import type { Marking } from '../../domain/marking';
import { hasPermission } from '../../domain/roles';
import type { ZoneFeature } from '../../domain/zones';
import { AidPages } from '../features/aid/AidPages';
import { FacilityPages } from '../features/facilities/FacilityPages';
import { IncidentPage } from '../features/incidents/IncidentPage';
import { IncidentsPage } from '../features/incidents/IncidentsPage';
import type { IncidentStore, IncidentsState } from '../features/incidents/incidentStore';
import { ReportForm } from '../features/incidents/ReportForm';
import type { AidMapState, AidStore } from '../features/notifications/aidStore';
import { NotificationPages } from '../features/notifications/NotificationPages';
import { DailyReportPage } from '../features/reports/DailyReportPage';
import { t } from '../i18n/t';
import type { Me } from './auth';
import { NotFoundPage } from './NotFoundPage';
import type { Route } from './router';

interface PageHostProps {
  me: Me;
  route: Exclude<Route, { page: 'map' }>;
  zones: readonly ZoneFeature[];
  incidents: IncidentsState;
  incidentStore: IncidentStore;
  aid: AidMapState;
  aidStore: AidStore;
  /** What the page shows, for the classification banner. */
  onMarkings(markings: readonly Marking[]): void;
}

/** The pages beside the map: incidents, the daily report, notifications, facilities and aid. */
export function PageHost({
  me,
  route,
  zones,
  incidents,
  incidentStore,
  aid,
  aidStore,
  onMarkings,
}: PageHostProps) {
  const aidPages = { me, route, zones, aid, aidStore, onMarkings };
  return (
    <main className="page-host" data-testid="page">
      {route.page === 'incidents' && (
        <IncidentsPage me={me} query={route.query} revision={incidents.revision} onMarkings={onMarkings} />
      )}
      {route.page === 'incident-new' && (
        <div className="page report-page">
          <header className="page__header">
            <h2 className="page__title">{t('incidents.form.title')}</h2>
          </header>
          {hasPermission(me.roles, 'incidents:report') ? (
            <ReportForm me={me} zones={zones} onMarkings={onMarkings} />
          ) : (
            <p role="alert">{t('incidents.form.notAllowed')}</p>
          )}
        </div>
      )}
      {route.page === 'incident' && (
        <IncidentPage
          key={route.id}
          me={me}
          id={route.id}
          liveVersion={incidents.incidents.find((i) => i.id === route.id)?.properties.version ?? null}
          onChanged={(f) => incidentStore.merge(f)}
          onMarkings={onMarkings}
        />
      )}
      {route.page === 'daily-report' && <DailyReportPage query={route.query} onMarkings={onMarkings} />}
      <NotificationPages {...aidPages} />
      <FacilityPages {...aidPages} />
      {route.page === 'aid' && <AidPages me={me} route={route} onMarkings={onMarkings} />}
      {route.page === 'not-found' && <NotFoundPage path={route.path} />}
    </main>
  );
}
