import type Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import type { NotificationFeature } from '../../domain/deconfliction';
import type { FacilityFeature } from '../../domain/facilities';
import { facilityStyle, notificationStyle } from './aidStyle';

const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
type Keyed = { id: string; properties: object };

/** Keeps a source equal to a list of GeoJSON features, re-reading only those that changed. */
class Synced<T extends Keyed> {
  readonly source = new VectorSource();
  private readonly synced = new Map<string, T>();

  sync(items: readonly T[]): void {
    const wanted = new Map(items.map((i) => [i.id, i]));
    for (const id of [...this.synced.keys()]) {
      if (wanted.has(id)) continue;
      const f = this.source.getFeatureById(id);
      if (f) this.source.removeFeature(f);
      this.synced.delete(id);
    }
    const added: Feature[] = [];
    for (const [id, item] of wanted) {
      if (this.synced.get(id) === item) continue;
      const old = this.source.getFeatureById(id);
      if (old) this.source.removeFeature(old);
      const read = geojson.readFeature(item);
      const f = Array.isArray(read) ? read[0] : read;
      if (!f) continue;
      f.setId(id);
      added.push(f);
      this.synced.set(id, item);
    }
    if (added.length) this.source.addFeatures(added);
  }

  ids(): string[] {
    return this.source.getFeatures().map((f) => String(f.getId()));
  }
}

/** Humanitarian access on the map: facilities, and the notified sites and routes. */
export class AidLayers {
  private readonly facilities = new Synced<FacilityFeature>();
  private readonly notifications = new Synced<NotificationFeature>();
  readonly facilityLayer = new VectorLayer({
    source: this.facilities.source,
    style: facilityStyle(),
    zIndex: 18,
    properties: { name: 'facilities' },
  });
  readonly notificationLayer = new VectorLayer({
    source: this.notifications.source,
    style: notificationStyle(),
    zIndex: 17,
    properties: { name: 'notifications' },
  });

  syncFacilities(list: readonly FacilityFeature[]): void {
    this.facilities.sync(list);
  }

  syncNotifications(list: readonly NotificationFeature[]): void {
    this.notifications.sync(list);
  }

  setVisible(which: { facilities: boolean; notifications: boolean }): void {
    this.facilityLayer.setVisible(which.facilities);
    this.notificationLayer.setVisible(which.notifications);
  }

  facilityIds(): string[] {
    return this.facilityLayer.getVisible() ? this.facilities.ids() : [];
  }

  notificationIds(): string[] {
    return this.notificationLayer.getVisible() ? this.notifications.ids() : [];
  }
}
