import { type RefObject, useEffect } from 'react';
import type { IncidentFeature } from '../../domain/incidents';
import type { ConvoyPoint } from './convoyLayer';
import type { MapParts } from './createMap';
import type { MapAid } from './mapViewProps';

/** Feeds the incidents, the facilities and notified sites, and the convoys to their layers. */
export function useOverlayLayers(
  partsRef: RefObject<MapParts | null>,
  generation: number,
  incidents: readonly IncidentFeature[],
  incidentsVisible: boolean,
  aid: MapAid | undefined,
  convoys: readonly ConvoyPoint[],
  convoysVisible: boolean,
): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs the incidents again.
  useEffect(() => {
    partsRef.current?.incidents.sync(incidents);
  }, [incidents, generation]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs the toggle again.
  useEffect(() => {
    partsRef.current?.incidents.setVisible(incidentsVisible);
  }, [incidentsVisible, generation]);

  const aidFacilities = aid?.facilities;
  const aidNotifications = aid?.notifications;
  const showFacilities = aid?.visible.facilities ?? false;
  const showNotifications = aid?.visible.notifications ?? false;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs them again.
  useEffect(() => {
    const layers = partsRef.current?.aid;
    if (!layers) return;
    layers.syncFacilities(aidFacilities ?? []);
    layers.syncNotifications(aidNotifications ?? []);
    layers.setVisible({ facilities: showFacilities, notifications: showNotifications });
  }, [aidFacilities, aidNotifications, showFacilities, showNotifications, generation]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs the convoys again.
  useEffect(() => {
    partsRef.current?.convoys.sync(convoys);
    partsRef.current?.convoys.setVisible(convoysVisible);
  }, [convoys, convoysVisible, generation]);
}
