import type { Marking } from '../../../domain/marking';
import type { ZoneFeature } from '../../../domain/zones';
import type { Me } from '../../app/auth';
import type { Route } from '../../app/router';
import type { AidMapState, AidStore } from '../notifications/aidStore';
import { FacilityPage } from './FacilityPage';
import { NewFacilityPage } from './NewFacilityPage';

interface FacilityPagesProps {
  me: Me;
  route: Route;
  zones: readonly ZoneFeature[];
  aid: AidMapState;
  aidStore: AidStore;
  onMarkings(markings: readonly Marking[]): void;
}

/** The facility pages: recording one, and one facility (opened from the map or a notification). */
export function FacilityPages({ me, route, zones, aid, aidStore, onMarkings }: FacilityPagesProps) {
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
