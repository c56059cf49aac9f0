import Feature from 'ol/Feature';
import LineString from 'ol/geom/LineString';
import Point from 'ol/geom/Point';
import type BaseLayer from 'ol/layer/Base';
import VectorLayer from 'ol/layer/Vector';
import type OlMap from 'ol/Map';
import VectorSource from 'ol/source/Vector';
import { alertsShownAt } from '../features/replay/alerts';
import { positionAt, type ReplayTrackModel, trailAt } from '../features/replay/model';
import type { ReplayScene } from '../features/replay/scene';
import { onSymbolsReady } from '../features/tracks/symbols';
import { alertMarkerStyle, replayLabelStyle, replayTrailStyle } from './replayStyle';
import { exposeReplay } from './testHook';
import type { TrackLayers } from './trackLayer';
import { TrackPainter, trackMark } from './trackPainter';

/** As on the live picture: callsigns while few enough tracks are in view to read them. */
const LABEL_MAX_IN_VIEW = 250;
const R = 6_378_137;

/** Web Mercator without an allocation per call: trails convert thousands of points a frame. */
function mercator(lon: number, lat: number): [number, number] {
  const clamped = Math.max(-85.06, Math.min(85.06, lat));
  return [(R * lon * Math.PI) / 180, R * Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360))];
}

/**
 * The replay picture, bottom to top: trails, then symbols (painted by the same `TrackPainter` as
 * live tracks, so they look the same) under their callsigns, then alert markers. `render(t)` moves
 * everything to the replay time; it runs from the clock, outside React.
 */
export class ReplayLayers {
  readonly labels = new VectorSource();
  readonly trails = new VectorSource();
  readonly alerts = new VectorSource();
  private readonly painter = new TrackPainter();
  private readonly labelLayer: VectorLayer<VectorSource>;
  private readonly trailLayer: VectorLayer<VectorSource>;
  private readonly alertLayer: VectorLayer<VectorSource>;
  /** Where each track on the picture is, `[lon, lat]`. */
  private readonly where = new Map<string, [number, number]>();
  private readonly trailLength = new Map<string, number>();
  private shownAlerts = '';
  private labelsOn = true;
  private readonly stopListening: () => void;
  time = Number.NaN;

  constructor(private readonly scene: ReplayScene) {
    this.labelLayer = new VectorLayer({
      source: this.labels,
      style: replayLabelStyle(() => this.labelsOn),
      declutter: 'replay',
      properties: { name: 'replay-labels' },
    });
    this.trailLayer = new VectorLayer({
      source: this.trails,
      style: replayTrailStyle,
      properties: { name: 'replay-trails' },
    });
    this.alertLayer = new VectorLayer({
      source: this.alerts,
      style: alertMarkerStyle,
      properties: { name: 'replay-alerts' },
    });
    this.labelLayer.on('prerender', (e) => {
      const ctx = e.context;
      if (!(ctx instanceof CanvasRenderingContext2D) || !e.frameState || !e.inversePixelTransform) return;
      const on = this.painter.paint(ctx, e.frameState, e.inversePixelTransform) <= LABEL_MAX_IN_VIEW;
      if (on === this.labelsOn) return;
      this.labelsOn = on;
      this.labelLayer.changed();
    });
    this.stopListening = onSymbolsReady(() => this.labelLayer.changed());
  }

  layers(): BaseLayer[] {
    return [this.trailLayer, this.labelLayer, this.alertLayer];
  }

  render(time: number): void {
    this.time = time;
    for (const track of this.scene.model.tracks) this.renderTrack(track, time);
    this.renderAlerts(time);
    // A symbol that moved without its label feature changing must still be repainted.
    this.labelLayer.changed();
  }

  private renderTrack(track: ReplayTrackModel, time: number): void {
    const id = track.uid;
    const now = positionAt(track, time);
    const label = this.labels.getFeatureById(id) as Feature<Point> | null;
    const trail = this.trails.getFeatureById(id) as Feature<LineString> | null;
    if (!now) {
      if (!label) return;
      this.labels.removeFeature(label);
      if (trail) this.trails.removeFeature(trail);
      this.painter.deleteMark(id);
      this.where.delete(id);
      this.trailLength.delete(id);
      return;
    }
    const [x, y] = mercator(now.lon, now.lat);
    const props = {
      sidc: track.sidc,
      kind: track.kind,
      affiliation: track.affiliation,
      callsign: track.callsign,
      course: now.course,
      speed: now.speed,
    };
    this.painter.setMark(trackMark(id, x, y, props));
    this.where.set(id, [now.lon, now.lat]);
    if (label) {
      label.setProperties(props, true);
      label.getGeometry()?.setCoordinates([x, y]);
    } else {
      const f = new Feature<Point>({ geometry: new Point([x, y]), ...props });
      f.setId(id);
      this.labels.addFeature(f);
    }
    const path = trailAt(track, time, now);
    this.trailLength.set(id, path.length);
    const line = path.length >= 2 ? path.map(([lon, lat]) => mercator(lon, lat)) : [];
    if (trail) trail.getGeometry()?.setCoordinates(line);
    else {
      const f = new Feature<LineString>({ geometry: new LineString(line), affiliation: track.affiliation });
      f.setId(id);
      this.trails.addFeature(f);
    }
  }

  private renderAlerts(time: number): void {
    const shown = alertsShownAt(this.scene.alerts, time);
    const key = shown.map((a) => a.id).join();
    if (key === this.shownAlerts) return;
    this.shownAlerts = key;
    this.alerts.clear();
    this.alerts.addFeatures(
      shown.map((a) => {
        const f = new Feature<Point>({
          geometry: new Point(mercator(a.lon ?? 0, a.lat ?? 0)),
          severity: a.severity,
        });
        f.setId(a.id);
        return f;
      }),
    );
  }

  /** Uids of the tracks on the picture at the replay time. */
  ids(): string[] {
    return [...this.where.keys()];
  }

  position(uid: string): [number, number] | null {
    return this.where.get(uid) ?? null;
  }

  /** Points in a track's trail, its position now included; 0 when it is not on the picture. */
  trailPoints(uid: string): number {
    return this.trailLength.get(uid) ?? 0;
  }

  alertIds(): string[] {
    return this.shownAlerts ? this.shownAlerts.split(',') : [];
  }

  dispose(): void {
    this.stopListening();
  }
}

/**
 * Switches the map to the replay picture: live tracks hidden, the replay layers added and driven by
 * the clock. Returns the function that restores the live picture.
 */
export function attachReplay(map: OlMap, live: TrackLayers, scene: ReplayScene): () => void {
  const replay = new ReplayLayers(scene);
  const liveLayers = live.layers();
  for (const l of liveLayers) l.setVisible(false);
  const added = replay.layers();
  for (const l of added) map.addLayer(l);
  const stopClock = scene.clock.onTime((t) => replay.render(t));
  const removeHook = exposeReplay(replay);
  return () => {
    removeHook();
    stopClock();
    for (const l of added) map.removeLayer(l);
    for (const l of liveLayers) l.setVisible(true);
    replay.dispose();
  };
}
