import type Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import { type RefObject, useEffect } from 'react';
import type { ZoneFeature } from '../../domain/zones';
import { milestone } from '../app/milestones';
import type { MapParts } from './createMap';

const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

/** Keeps the zones drawn equal to `zones`, re-reading only those that changed, and the selection outlined. */
export function useZoneLayer(
  partsRef: RefObject<MapParts | null>,
  zones: readonly ZoneFeature[],
  selectedRef: RefObject<string | null>,
  selectedId: string | null,
): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the map's parts are a ref, read when the zones change.
  useEffect(() => {
    const parts = partsRef.current;
    if (!parts) return;
    const { zones: source, syncedZones: synced } = parts;
    const wanted = new Map(zones.map((z) => [String(z.id), z]));
    for (const [id] of synced) {
      if (wanted.has(id)) continue;
      const f = source.getFeatureById(id);
      if (f) source.removeFeature(f);
      synced.delete(id);
    }
    const added: Feature[] = [];
    for (const [id, zone] of wanted) {
      if (synced.get(id) === zone) continue;
      const old = source.getFeatureById(id);
      if (old) source.removeFeature(old);
      const read = geojson.readFeature(zone);
      const feature = Array.isArray(read) ? read[0] : read;
      if (!feature) continue;
      feature.setId(id);
      added.push(feature);
      synced.set(id, zone);
    }
    if (added.length) {
      source.addFeatures(added);
      milestone('zones on map');
    }
  }, [zones]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map's parts and the selection are refs.
  useEffect(() => {
    selectedRef.current = selectedId;
    partsRef.current?.zonesLayer.changed();
  }, [selectedId]);
}
