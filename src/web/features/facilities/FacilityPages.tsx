import type { AidStore } from '../notifications/aidStore';
import type { AidRoutePagesProps } from '../notifications/NotificationPages';
import { FacilityPage } from './FacilityPage';
import { NewFacilityPage } from './NewFacilityPage';

/** The facility pages: recording one, and one facility (opened from the map or a notification). */
export function FacilityPages({ me, route, zones, aid, aidStore, onMarkings }: AidRoutePagesProps) {
  const merge = (f: Parameters<AidStore['mergeFacility']>[0]) => aidStore.mergeFacility(f);
  switch (route.page) {
    case 'facility-new':
      return <NewFacilityPage me={me} zones={zones} onMarkings={onMarkings} onCreated={merge} />;
    case 'facility':
      return (
        <FacilityPage
          key={route.id}
          me={me}
          id={route.id}
          zones={zones}
          liveVersion={aid.facilities.find((f) => f.id === route.id)?.properties.version ?? null}
          notifications={aid.notifications}
          onChanged={merge}
          onMarkings={onMarkings}
        />
      );
    default:
      return null;
  }
}
