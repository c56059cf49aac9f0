import Feature from 'ol/Feature';
import LineString from 'ol/geom/LineString';
import Point from 'ol/geom/Point';
import Polygon from 'ol/geom/Polygon';
import type BaseLayer from 'ol/layer/Base';
import VectorLayer from 'ol/layer/Vector';
import { fromLonLat, getTransform, toLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import { milestone } from '../app/milestones';
import { onSymbolsReady } from '../features/tracks/symbols';
import { type PolygonGeometry, type TrackFeature, trackLonLat } from '../features/tracks/types';
import { TrackPainter, trackHeading, trackMark } from './trackPainter';
import { footprintStyle, trackLabelStyle, trailStyle } from './trackStyle';

/** Callsigns are drawn while at most this many tracks are in view; beyond, only the selected one. */
const LABEL_MAX_IN_VIEW = 250;
/** Four redraws a second for movements (see `redrawMoves`). */
const MOVES_REDRAW_MS = 250;

function footprintGeometry(footprint: PolygonGeometry | null | undefined): Polygon | null {
  if (footprint?.type !== 'Polygon' || !Array.isArray(footprint.coordinates)) return null;
  const rings: number[][][] = [];
  for (const ring of footprint.coordinates) {
    if (!Array.isArray(ring) || ring.length < 4) return null;
    const out: number[][] = [];
    for (const c of ring) {
      if (!Array.isArray(c) || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) return null;
      out.push(fromLonLat([c[0] as number, c[1] as number]));
    }
    rings.push(out);
  }
  return rings.length ? new Polygon(rings) : null;
}

/** EPSG:4326 to the map's EPSG:3857, looked up once rather than per track. */
const fromWgs84 = getTransform('EPSG:4326', 'EPSG:3857');
const toMap = (lonLat: number[]): number[] => (fromWgs84 ? fromWgs84(lonLat) : fromLonLat(lonLat));
/** Reused by `move`, which projects thousands of positions a second: no array per position. */
const scratch = [0, 0];

/** What a callsign label reads of its track: the symbol it keeps clear of, and the callsign. */
function labelProperties(p: TrackFeature['properties']) {
  return {
    sidc: p.sidc,
    kind: p.kind,
    affiliation: p.affiliation,
    callsign: p.callsign,
    course: p.course,
    speed: p.speed,
  };
}

/**
 * The track layers of the map, bottom to top: sensor footprints, the selected track's trail, and
 * the callsigns, under which the symbols are painted (see `TrackPainter`). The painter holds every
 * track; OpenLayers features exist only for the callsigns drawn (the tracks in view while few
 * enough are, and the selected one): building, indexing and moving 10,000 features that drew
 * nothing cost the first picture of a snapshot ~0.6 s and every second of movements ~0.2 s.
 */
export class TrackLayers {
  /** The callsigns drawn: features of the labelled tracks only. */
  readonly source = new VectorSource({ useSpatialIndex: false });
  readonly footprints = new VectorSource();
  readonly trail = new VectorSource();
  private readonly symbols = new TrackPainter();
  readonly labelLayer: VectorLayer<VectorSource>;
  readonly footprintLayer: VectorLayer<VectorSource>;
  readonly trailLayer: VectorLayer<VectorSource>;
  /** What the marks were last synced from, so unchanged tracks are not touched. */
  private readonly synced = new Map<string, TrackFeature>();
  /**
   * Tracks that `move` has replaced with a newer state: a render that still carries one (it was
   * published before the movement came) must not take the mark back.
   */
  private superseded = new WeakSet<TrackFeature>();
  /** The label features in `source`, by track id. */
  private readonly labelled = new Map<string, Feature<Point>>();
  private selectedId: string | null = null;
  /**
   * Off until a frame has counted the tracks in view (see the prerender below), and off while more
   * than `LABEL_MAX_IN_VIEW` are: callsigns are then only built for the tracks a frame found in view.
   */
  private labelsOn = false;
  private movesTimer: ReturnType<typeof setTimeout> | null = null;
  private lastMovesRedraw = Number.NEGATIVE_INFINITY;
  private readonly stopListening: () => void;

  constructor() {
    const selected = () => this.selectedId;
    this.labelLayer = new VectorLayer({
      source: this.source,
      style: trackLabelStyle(selected, () => this.labelsOn),
      // Callsigns declutter among themselves and around the symbols, not against zone names.
      declutter: 'tracks',
      properties: { name: 'track-labels' },
    });
    this.footprintLayer = new VectorLayer({
      source: this.footprints,
      style: footprintStyle(selected),
      properties: { name: 'footprints' },
    });
    this.trailLayer = new VectorLayer({
      source: this.trail,
      style: trailStyle,
      properties: { name: 'trail' },
    });
    // Symbols go under the callsigns: painted as the callsign layer starts to draw, which also
    // tells which tracks are in view and so which callsigns are worth drawing next frame.
    this.labelLayer.on('prerender', (e) => {
      const ctx = e.context;
      if (!(ctx instanceof CanvasRenderingContext2D) || !e.frameState || !e.inversePixelTransform) return;
      const drawn = this.symbols.paint(ctx, e.frameState, e.inversePixelTransform);
      if (drawn) milestone('tracks painted');
      const on = drawn <= LABEL_MAX_IN_VIEW;
      const switched = on !== this.labelsOn;
      this.labelsOn = on;
      if (this.syncLabels() || switched) this.labelLayer.changed();
    });
    // The first symbols replace the plain markers drawn while milsymbol loaded.
    this.stopListening = onSymbolsReady(() => this.labelLayer.changed());
  }

  /** Bottom to top. */
  layers(): BaseLayer[] {
    return [this.footprintLayer, this.trailLayer, this.labelLayer];
  }

  sync(tracks: readonly TrackFeature[]): void {
    const wanted = new Map<string, TrackFeature>();
    for (const t of tracks) wanted.set(String(t.id), t);
    for (const id of this.synced.keys()) {
      if (wanted.has(id)) continue;
      const f = this.labelled.get(id);
      if (f) this.source.removeFeature(f);
      this.labelled.delete(id);
      const fp = this.footprints.getFeatureById(id);
      if (fp) this.footprints.removeFeature(fp);
      this.symbols.deleteMark(id);
      this.synced.delete(id);
    }
    let added = 0;
    const addedFootprints: Feature[] = [];
    for (const [id, track] of wanted) {
      const before = this.synced.get(id);
      if (before === track || (before && this.superseded.has(track))) continue;
      if (!before) added++;
      const p = track.properties;
      const coordinate = toMap(trackLonLat(track));
      this.symbols.setMark(trackMark(id, coordinate[0] ?? 0, coordinate[1] ?? 0, p));
      const label = this.labelled.get(id);
      if (label) {
        label.setProperties(labelProperties(p), true);
        // Moving the point signals the change (and redraws) once for position and properties alike.
        label.getGeometry()?.setCoordinates(coordinate);
      }
      if (before?.properties.footprint !== p.footprint) {
        const geometry = footprintGeometry(p.footprint);
        const fp = this.footprints.getFeatureById(id) as Feature<Polygon> | null;
        if (fp && geometry) {
          fp.set('affiliation', p.affiliation, true);
          fp.setGeometry(geometry);
        } else if (fp) this.footprints.removeFeature(fp);
        else if (geometry) {
          const f = new Feature<Polygon>({ geometry, affiliation: p.affiliation });
          f.setId(id);
          addedFootprints.push(f);
        }
      }
      this.synced.set(id, track);
    }
    if (addedFootprints.length) this.footprints.addFeatures(addedFootprints);
    if (added) milestone('tracks on map');
    // New tracks may crowd the view: count again, in the last frame's view, before labelling them.
    if (this.labelsOn && added && this.symbols.countInView(LABEL_MAX_IN_VIEW) > LABEL_MAX_IN_VIEW) {
      this.labelsOn = false;
      this.syncLabels();
    }
    // The painter draws from its marks: every change of a track redraws.
    this.labelLayer.changed();
  }

  /**
   * Moves the tracks already drawn to their new state, straight from the live feed: positions,
   * course and speed change, nothing else does (a change of anything else comes as a whole track
   * through `sync`). Tracks not drawn (filtered out, or not synced yet) are left to `sync`.
   */
  move(moved: readonly TrackFeature[]): void {
    let any = false;
    for (const track of moved) {
      const id = String(track.id);
      const before = this.synced.get(id);
      if (!before) continue;
      const [lon = 0, lat = 0] = track.geometry.coordinates;
      scratch[0] = lon;
      scratch[1] = lat;
      // EPSG:4326 to 3857 reads each ordinate before writing it: in place is safe.
      const [x = 0, y = 0] = fromWgs84 ? fromWgs84(scratch, scratch, 2) : fromLonLat(scratch);
      if (!this.symbols.moveMark(id, x, y, trackHeading(track.properties)))
        this.symbols.setMark(trackMark(id, x, y, track.properties));
      const label = this.labelled.get(id);
      if (label) {
        label.setProperties(labelProperties(track.properties), true);
        label.getGeometry()?.setCoordinates([x, y]);
      }
      this.superseded.add(before);
      this.synced.set(id, track);
      any = true;
    }
    if (any) this.redrawMoves();
  }

  /**
   * Movements redraw the map at most every `MOVES_REDRAW_MS`: a track reports about once a second,
   * so redrawing on every frame showed little more, while each frame without a GPU costs tens of
   * ms with thousands of tracks, and the live feed brings movements all the time. A pan or zoom
   * still draws every frame, with the latest positions.
   */
  private redrawMoves(): void {
    if (this.movesTimer !== null) return;
    const wait = Math.max(0, this.lastMovesRedraw + MOVES_REDRAW_MS - performance.now());
    this.movesTimer = setTimeout(() => {
      this.movesTimer = null;
      this.lastMovesRedraw = performance.now();
      this.labelLayer.changed();
    }, wait);
  }

  /**
   * Brings the label features in line with the last frame: the tracks it found in view while
   * labels are on, and the selected track. Returns whether any feature came or went.
   */
  private syncLabels(): boolean {
    const want = new Set<string>();
    if (this.labelsOn) for (const id of this.symbols.idsInView()) want.add(id);
    if (this.selectedId && this.synced.has(this.selectedId)) want.add(this.selectedId);
    let changed = false;
    for (const [id, f] of this.labelled) {
      if (want.has(id)) continue;
      this.source.removeFeature(f);
      this.labelled.delete(id);
      changed = true;
    }
    const added: Feature[] = [];
    for (const id of want) {
      if (this.labelled.has(id)) continue;
      const track = this.synced.get(id);
      if (!track) continue;
      // Silently: nothing listens to a new feature yet.
      const f = new Feature<Point>(new Point(toMap(trackLonLat(track))));
      f.setProperties(labelProperties(track.properties), true);
      f.setId(id);
      this.labelled.set(id, f);
      added.push(f);
    }
    if (added.length) {
      this.source.addFeatures(added);
      changed = true;
    }
    return changed;
  }

  setSelected(id: string | null): void {
    if (id === this.selectedId) return;
    this.selectedId = id;
    this.symbols.setSelected(id);
    this.syncLabels();
    this.labelLayer.changed();
    this.footprintLayer.changed();
  }

  /** The track under a pixel of the map, or null. */
  trackAt(pixel: readonly number[], tolerance: number): string | null {
    return this.symbols.hit(pixel, tolerance);
  }

  /** The selected track's recent positions, `[lon, lat]` oldest first; fewer than two clears it. */
  setTrail(coordinates: readonly (readonly [number, number])[]): void {
    const line = coordinates.map((c) => fromLonLat([c[0], c[1]]));
    const existing = this.trail.getFeatures()[0] as Feature<LineString> | undefined;
    if (line.length < 2) {
      this.trail.clear();
      return;
    }
    if (existing) existing.getGeometry()?.setCoordinates(line);
    else this.trail.addFeature(new Feature(new LineString(line)));
  }

  /** Uids of the tracks drawn. */
  ids(): string[] {
    return this.symbols.ids();
  }

  /** Callsigns of the tracks drawn (their uid when they have none). */
  callsigns(): string[] {
    return [...this.synced.values()].map((t) => String(t.properties.callsign ?? ''));
  }

  /** A track's position as `[lon, lat]`, or null when it is not drawn. */
  position(id: string): [number, number] | null {
    const c = this.symbols.coordinate(id);
    if (!c) return null;
    const [lon = 0, lat = 0] = toLonLat(c);
    return [lon, lat];
  }

  dispose(): void {
    this.stopListening();
    if (this.movesTimer !== null) clearTimeout(this.movesTimer);
    this.movesTimer = null;
    this.synced.clear();
    this.labelled.clear();
    this.superseded = new WeakSet();
  }
}
