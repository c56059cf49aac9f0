import type Feature from 'ol/Feature';
import type BaseLayer from 'ol/layer/Base';
import type OlMap from 'ol/Map';
import { toLonLat } from 'ol/proj';
import type { ReadoutPosition } from './CoordinateReadout';
import { wrapLon } from './coords';

const HIT_TOLERANCE = 6;

interface PointerOptions {
  zones: BaseLayer;
  /** The track drawn under a pixel, if any. */
  trackAt(pixel: readonly number[], tolerance: number): string | null;
  /** While a tool is on, a click places a point: it must not also select what is under it. */
  toolActive(): boolean;
  onPosition(position: ReadoutPosition): void;
  onPickZone(id: string | null): void;
  /** Returns false when tracks are not selectable here, so the click falls through to the zones. */
  onPickTrack(id: string): boolean;
  /** The incidents layer: its markers draw over the zones and win a click on both. */
  incidents?: BaseLayer;
  /** Returns false when incidents are not selectable here. */
  onPickIncident?(id: string): boolean;
  /** Further layers of things to open (facilities, notified sites), under the incidents, over the zones. */
  others?: readonly { layer: BaseLayer; onPick(id: string): boolean }[];
}

/**
 * Pointer handling of the map: the position read-out (pointer, or the centre for touch and when
 * the pointer is away), the hover cursor, and click to select a track or else a zone. Returns the
 * function that removes what it installed.
 */
export function installPointer(map: OlMap, target: HTMLElement, o: PointerOptions): () => void {
  const hitOn = (layer: BaseLayer) => (pixel: number[]) =>
    map.forEachFeatureAtPixel(pixel, (f) => f as Feature, {
      layerFilter: (l) => l === layer,
      hitTolerance: HIT_TOLERANCE,
    });
  const zoneAt = hitOn(o.zones);
  const incidentLayer = o.incidents;
  const incidentAt = incidentLayer ? hitOn(incidentLayer) : () => undefined;
  // Tracks draw over zones, so they win a click on both.
  const trackAt = (pixel: number[]) => o.trackAt(pixel, HIT_TOLERANCE);
  const others = (o.others ?? []).map((x) => ({ at: hitOn(x.layer), layer: x.layer, onPick: x.onPick }));
  const otherAt = (pixel: number[]) => others.some((x) => x.layer.getVisible() && x.at(pixel));

  const centre = () => {
    const c = map.getView().getCenter();
    if (!c) return;
    const [lon = 0, lat = 0] = toLonLat(c);
    o.onPosition({ lon: wrapLon(lon), lat, source: 'centre' });
  };
  let frame = 0;
  let pointerInside = false;
  const onMove = map.on('pointermove', (e) => {
    if (e.originalEvent instanceof PointerEvent && e.originalEvent.pointerType !== 'mouse') return;
    pointerInside = true;
    const [lon = 0, lat = 0] = toLonLat(e.coordinate);
    // One read-out and hit test per frame, however fast the pointer moves.
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      o.onPosition({ lon: wrapLon(lon), lat, source: 'pointer' });
      if (e.dragging) return;
      target.style.cursor = o.toolActive()
        ? 'crosshair'
        : trackAt(e.pixel) || incidentAt(e.pixel) || otherAt(e.pixel) || zoneAt(e.pixel)
          ? 'pointer'
          : '';
    });
  });
  const onLeave = () => {
    pointerInside = false;
    cancelAnimationFrame(frame);
    target.style.cursor = '';
    centre();
  };
  target.addEventListener('pointerleave', onLeave);
  const onMoveEnd = map.on('moveend', () => {
    if (!pointerInside) centre();
  });
  const onClick = map.on('singleclick', (e) => {
    if (o.toolActive()) return;
    const track = trackAt(e.pixel);
    if (track && o.onPickTrack(track)) return;
    const incident = incidentAt(e.pixel);
    if (incident && o.onPickIncident?.(String(incident.getId()))) return;
    for (const x of others) {
      const hit = x.layer.getVisible() ? x.at(e.pixel) : undefined;
      if (hit && x.onPick(String(hit.getId()))) return;
    }
    const zone = zoneAt(e.pixel);
    o.onPickZone(zone ? String(zone.getId()) : null);
  });
  centre();

  return () => {
    cancelAnimationFrame(frame);
    target.removeEventListener('pointerleave', onLeave);
    map.un('pointermove', onMove.listener);
    map.un('moveend', onMoveEnd.listener);
    map.un('singleclick', onClick.listener);
  };
}
