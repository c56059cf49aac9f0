import { containsExtent, type Extent, getCenter, getHeight, getWidth } from 'ol/extent';
import type OlMap from 'ol/Map';
import { transformExtent } from 'ol/proj';
import type VectorSource from 'ol/source/Vector';

/** The strip (the demo area), `[west, south, east, north]` in WGS84. */
const STRIP_BBOX: Extent = [34.2, 31.21, 34.56, 31.6];
const STRIP = transformExtent(STRIP_BBOX, 'EPSG:4326', 'EPSG:3857');
/** Room inside the frame, in pixels, so the names at the strip's ends (Erez, Kerem Shalom) stay whole. */
const PADDING = 18;

/** What a picker frames: the strip, or a strip-sized box centred on what was picked (a whole route at least). */
function frameExtent(p: Extent | null): Extent {
  if (!p) return STRIP;
  const [cx = 0, cy = 0] = getCenter(p);
  const halfW = Math.max(getWidth(STRIP), getWidth(p)) / 2;
  const halfH = Math.max(getHeight(STRIP), getHeight(p)) / 2;
  return [cx - halfW, cy - halfH, cx + halfW, cy + halfH];
}

const extentOf = (source: VectorSource): Extent | null => (source.isEmpty() ? null : source.getExtent());

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Keeps a picker's view framed on the element's real size. A centre and zoom fixed when the map
 * is made cut the strip in the form's 260–320 px box, and the box only gets its final size after
 * CSS and the form's layout apply (or when a phone turns): so the view is fitted from a
 * ResizeObserver, again on every resize, until the user pans or zooms (their view is then kept).
 * `reveal` is for a changed pick: a click lands inside the view and moves nothing, a typed position
 * out of sight is brought to the centre.
 */
export function framePicker(map: OlMap, target: HTMLElement, picked: VectorSource) {
  const view = map.getView();
  // The view as last framed here; null until the element first has a size.
  let framed: { center: number[]; resolution: number } | null = null;
  const untouched = () => {
    if (!framed) return true;
    const center = view.getCenter();
    const resolution = view.getResolution();
    return (
      center !== undefined &&
      resolution !== undefined &&
      near(resolution, framed.resolution) &&
      near(center[0] ?? 0, framed.center[0] ?? 0) &&
      near(center[1] ?? 0, framed.center[1] ?? 0)
    );
  };
  const frame = () => {
    const size = map.getSize();
    if (!size?.[0] || !size[1]) return;
    view.fit(frameExtent(extentOf(picked)), { size, padding: [PADDING, PADDING, PADDING, PADDING] });
    const center = view.getCenter();
    const resolution = view.getResolution();
    framed = center && resolution !== undefined ? { center: center.slice(), resolution } : null;
  };

  const observer = new ResizeObserver(() => {
    const wasUntouched = untouched();
    map.updateSize();
    if (wasUntouched) frame();
  });
  observer.observe(target);
  frame();

  return {
    reveal() {
      const size = map.getSize();
      if (!framed || !size) return frame();
      const p = extentOf(picked);
      if (!p) {
        if (untouched()) frame();
        return;
      }
      if (containsExtent(view.calculateExtent(size), p)) return;
      if (untouched()) frame();
      else view.setCenter(getCenter(p));
    },
    dispose: () => observer.disconnect(),
  };
}
