import type { EventsKey } from 'ol/events';
import type Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import type Geometry from 'ol/geom/Geometry';
import LineString from 'ol/geom/LineString';
import { DoubleClickZoom, Draw, Modify } from 'ol/interaction';
import type OlMap from 'ol/Map';
import { unByKey } from 'ol/Observable';
import type VectorSource from 'ol/source/Vector';
import { getLength } from 'ol/sphere';
import type { Geometry as GeoJsonGeometry } from '../../domain/geometry';
import { measureStyle, sketchStyle } from './editStyles';

export type DrawGeometryType = 'Point' | 'LineString' | 'Polygon';

/** What a pointer on the map does besides panning: draw a zone, edit the draft, or measure. */
export type MapTool =
  | { kind: 'draw'; geometryType: DrawGeometryType; zoneKind: string }
  | { kind: 'modify' }
  | { kind: 'measure' };

export interface ToolCallbacks {
  /** A drawing was finished; the geometry is GeoJSON in WGS84. */
  onDrawn(geometry: GeoJsonGeometry): void;
  /** Escape with nothing drawn yet: the person wants out of drawing. */
  onDrawCancel(): void;
  /** The draft was reshaped. */
  onDraftChange(geometry: GeoJsonGeometry): void;
  /** The measured length in metres, or null once cleared. */
  onMeasure(metres: number | null): void;
}

export interface ToolControl {
  /** Finishes the line or polygon being drawn (a button for those who cannot double-click). */
  finish(): void;
  /** Takes back the last point placed. */
  undoPoint(): void;
  remove(): void;
}

/** Coordinates to 7 decimals (about a centimetre): finer only adds bytes, never precision. */
const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

export function toGeoJson(geometry: Geometry): GeoJsonGeometry {
  return geojson.writeGeometryObject(geometry, { decimals: 7 }) as unknown as GeoJsonGeometry;
}

export function fromGeoJson(geometry: GeoJsonGeometry): Geometry | undefined {
  return geojson.readGeometry(geometry) ?? undefined;
}

/** Double-click finishes a drawing; it must not also zoom the map right after the tool goes away. */
function pauseDoubleClickZoom(map: OlMap): () => void {
  const zooms = map
    .getInteractions()
    .getArray()
    .filter((i): i is DoubleClickZoom => i instanceof DoubleClickZoom);
  for (const z of zooms) z.setActive(false);
  return () => {
    setTimeout(() => {
      for (const z of zooms) z.setActive(true);
    }, 400);
  };
}

/** Escape is caught before the shell's own handler (which closes panels) sees it. */
function onEscape(handler: (e: KeyboardEvent) => void): () => void {
  const listener = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !e.defaultPrevented) handler(e);
  };
  window.addEventListener('keydown', listener, { capture: true });
  return () => window.removeEventListener('keydown', listener, { capture: true });
}

interface Sources {
  draft: VectorSource;
  measure: VectorSource;
}

/** Puts one tool on the map; `callbacks` is read at event time so that it may change identity. */
export function installTool(
  map: OlMap,
  tool: MapTool,
  sources: Sources,
  callbacks: () => ToolCallbacks,
): ToolControl {
  switch (tool.kind) {
    case 'draw':
      return drawTool(map, tool.geometryType, tool.zoneKind, callbacks);
    case 'modify':
      return modifyTool(map, sources.draft, callbacks);
    case 'measure':
      return measureTool(map, sources.measure, callbacks);
  }
}

function drawTool(
  map: OlMap,
  type: DrawGeometryType,
  zoneKind: string,
  callbacks: () => ToolCallbacks,
): ToolControl {
  const draw = new Draw({ type, style: sketchStyle(zoneKind), stopClick: true });
  let sketching = false;
  draw.on('drawstart', () => {
    sketching = true;
  });
  draw.on('drawabort', () => {
    sketching = false;
  });
  draw.on('drawend', (e) => {
    sketching = false;
    const g = e.feature.getGeometry();
    if (g) callbacks().onDrawn(toGeoJson(g));
  });
  const resume = pauseDoubleClickZoom(map);
  map.addInteraction(draw);
  const removeKey = onEscape((e) => {
    e.preventDefault();
    if (sketching) draw.abortDrawing();
    else callbacks().onDrawCancel();
  });
  return {
    finish: () => draw.finishDrawing(),
    undoPoint: () => draw.removeLastPoint(),
    remove() {
      removeKey();
      draw.abortDrawing();
      map.removeInteraction(draw);
      resume();
    },
  };
}

function modifyTool(map: OlMap, source: VectorSource, callbacks: () => ToolCallbacks): ToolControl {
  const modify = new Modify({ source });
  modify.on('modifyend', (e) => {
    const f = e.features.item(0) as Feature | undefined;
    const g = f?.getGeometry();
    if (g) callbacks().onDraftChange(toGeoJson(g));
  });
  map.addInteraction(modify);
  return {
    finish: () => undefined,
    undoPoint: () => undefined,
    remove: () => map.removeInteraction(modify),
  };
}

function measureTool(map: OlMap, source: VectorSource, callbacks: () => ToolCallbacks): ToolControl {
  const draw = new Draw({ type: 'LineString', source, style: measureStyle, stopClick: true });
  let sketchKey: EventsKey | null = null;
  const report = (g: Geometry | undefined) => {
    if (g instanceof LineString) callbacks().onMeasure(getLength(g));
  };
  draw.on('drawstart', (e) => {
    // One measurement at a time: starting a new line clears the last one.
    source.clear();
    const g = e.feature.getGeometry();
    sketchKey = g ? g.on('change', () => report(g)) : null;
  });
  const stopSketch = () => {
    if (sketchKey) unByKey(sketchKey);
    sketchKey = null;
  };
  draw.on('drawend', (e) => {
    stopSketch();
    report(e.feature.getGeometry());
  });
  draw.on('drawabort', stopSketch);
  const clear = () => {
    draw.abortDrawing();
    source.clear();
    callbacks().onMeasure(null);
  };
  const resume = pauseDoubleClickZoom(map);
  map.addInteraction(draw);
  const removeKey = onEscape((e) => {
    e.preventDefault();
    clear();
  });
  return {
    finish: () => draw.finishDrawing(),
    undoPoint: () => draw.removeLastPoint(),
    remove() {
      removeKey();
      clear();
      map.removeInteraction(draw);
      resume();
    },
  };
}

/** A tool as a string, so that effects re-run only when the tool really changes. */
export function toolKey(tool: MapTool | null | undefined): string {
  if (!tool) return '';
  return tool.kind === 'draw' ? `draw:${tool.geometryType}:${tool.zoneKind}` : tool.kind;
}

export function keyToTool(key: string): MapTool | null {
  const [kind, geometryType, zoneKind = ''] = key.split(':');
  if (
    kind === 'draw' &&
    (geometryType === 'Point' || geometryType === 'LineString' || geometryType === 'Polygon')
  )
    return { kind, geometryType, zoneKind };
  if (kind === 'modify' || kind === 'measure') return { kind };
  return null;
}
