import Feature from 'ol/Feature';
import LineString from 'ol/geom/LineString';
import Point from 'ol/geom/Point';
import Polygon from 'ol/geom/Polygon';
import type BaseLayer from 'ol/layer/Base';
import VectorLayer from 'ol/layer/Vector';
import { fromLonLat, toLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import { onSymbolsReady } from '../features/tracks/symbols';
import { type PolygonGeometry, type TrackFeature, trackLonLat } from '../features/tracks/types';
import { TrackPainter, trackMark } from './trackPainter';
import { footprintStyle, trackLabelStyle, trailStyle } from './trackStyle';

/** Callsigns are drawn while at most this many tracks are in view; beyond, only the selected one. */
const LABEL_MAX_IN_VIEW = 250;

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

/**
 * The track layers of the map, bottom to top: sensor footprints, the selected track's trail, and
 * the callsigns, under which the symbols are painted (see `TrackPainter`). Tracks are updated in
 * place rather than replaced, so a second's worth of reports for thousands of tracks is one redraw.
 */
export class TrackLayers {
  /**
   * One point per track drawn: the callsign labels, positions and the test hook read it. No
   * spatial index: every track moves every second, and keeping an R-tree up to date cost more
   * than the whole frame with 10,000 tracks, while the labels it would help find are off then.
   */
  readonly source = new VectorSource({ useSpatialIndex: false });
  readonly footprints = new VectorSource();
  readonly trail = new VectorSource();
  private readonly symbols = new TrackPainter();
  readonly labelLayer: VectorLayer<VectorSource>;
  readonly footprintLayer: VectorLayer<VectorSource>;
  readonly trailLayer: VectorLayer<VectorSource>;
  /** What the sources were last synced from, so unchanged tracks are not touched. */
  private readonly synced = new Map<string, TrackFeature>();
  private selectedId: string | null = null;
  /**
   * Off until a frame has counted the tracks in view (see the prerender below): the layer lays out
   * its labels before that count, and 10,000 callsigns measured for one frame cost the first
   * picture ~1 s of measureText; with few tracks the callsigns come one frame later. A sync that
   * brings tracks counts again, in the last frame's view, before the layer lays anything out: the
   * frames before the first tracks counted none, and left the labels on for the whole snapshot.
   */
  private labelsOn = false;
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
    // tells how many tracks are in view and so whether callsigns are worth drawing next frame.
    this.labelLayer.on('prerender', (e) => {
      const ctx = e.context;
      if (!(ctx instanceof CanvasRenderingContext2D) || !e.frameState || !e.inversePixelTransform) return;
      const on = this.symbols.paint(ctx, e.frameState, e.inversePixelTransform) <= LABEL_MAX_IN_VIEW;
      if (on === this.labelsOn) return;
      this.labelsOn = on;
      this.labelLayer.changed();
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
      const f = this.source.getFeatureById(id);
      if (f) this.source.removeFeature(f);
      const fp = this.footprints.getFeatureById(id);
      if (fp) this.footprints.removeFeature(fp);
      this.symbols.deleteMark(id);
      this.synced.delete(id);
    }
    const added: Feature[] = [];
    const addedFootprints: Feature[] = [];
    for (const [id, track] of wanted) {
      const before = this.synced.get(id);
      if (before === track) continue;
      const p = track.properties;
      const props = {
        sidc: p.sidc,
        kind: p.kind,
        affiliation: p.affiliation,
        callsign: p.callsign,
        course: p.course,
        speed: p.speed,
      };
      const coordinate = fromLonLat(trackLonLat(track));
      this.symbols.setMark(trackMark(id, coordinate[0] ?? 0, coordinate[1] ?? 0, props));
      // A track not synced before has no feature yet: a snapshot of thousands skips the lookups.
      const existing = before ? (this.source.getFeatureById(id) as Feature<Point> | null) : null;
      if (existing) {
        existing.setProperties(props, true);
        // Moving the point signals the change (and redraws) once for position and properties alike.
        existing.getGeometry()?.setCoordinates(coordinate);
      } else {
        // Silently: nothing listens to a new feature yet, and an event per property of 10,000
        // tracks cost the first picture of a snapshot hundreds of thousands of objects.
        const f = new Feature<Point>(new Point(coordinate));
        f.setProperties(props, true);
        f.setId(id);
        added.push(f);
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
    if (added.length) this.source.addFeatures(added);
    if (addedFootprints.length) this.footprints.addFeatures(addedFootprints);
    if (this.labelsOn && added.length && this.symbols.countInView(LABEL_MAX_IN_VIEW) > LABEL_MAX_IN_VIEW)
      this.labelsOn = false;
    // Removals and moves of points already redraw; a change of symbol alone must too.
    this.labelLayer.changed();
  }

  setSelected(id: string | null): void {
    if (id === this.selectedId) return;
    this.selectedId = id;
    this.symbols.setSelected(id);
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

  /** A track's position as `[lon, lat]`, or null when it is not drawn. */
  position(id: string): [number, number] | null {
    const f = this.source.getFeatureById(id) as Feature<Point> | null;
    const c = f?.getGeometry()?.getCoordinates();
    if (!c) return null;
    const [lon = 0, lat = 0] = toLonLat(c);
    return [lon, lat];
  }

  dispose(): void {
    this.stopListening();
    this.synced.clear();
  }
}
