import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import VectorLayer from 'ol/layer/Vector';
import { fromLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import type { IncidentFeature } from '../../domain/incidents';
import { incidentStyle } from './incidentStyle';

/** The incidents layer: one triangle per incident at its representative point. */
export class IncidentLayer {
  readonly source = new VectorSource();
  readonly layer = new VectorLayer({
    source: this.source,
    style: incidentStyle(),
    zIndex: 20,
    properties: { name: 'incidents' },
  });
  private readonly synced = new Map<string, IncidentFeature>();

  sync(incidents: readonly IncidentFeature[]): void {
    const wanted = new Map(incidents.map((i) => [i.id, i]));
    for (const id of [...this.synced.keys()]) {
      if (wanted.has(id)) continue;
      const f = this.source.getFeatureById(id);
      if (f) this.source.removeFeature(f);
      this.synced.delete(id);
    }
    const added: Feature[] = [];
    for (const [id, incident] of wanted) {
      if (this.synced.get(id) === incident) continue;
      const old = this.source.getFeatureById(id);
      if (old) this.source.removeFeature(old);
      const [lon = 0, lat = 0] = incident.geometry.coordinates;
      const p = incident.properties;
      const f = new Feature({
        geometry: new Point(fromLonLat([lon, lat])),
        status: p.status,
        number: p.number,
      });
      f.setId(id);
      added.push(f);
      this.synced.set(id, incident);
    }
    if (added.length) this.source.addFeatures(added);
  }

  setVisible(visible: boolean): void {
    this.layer.setVisible(visible);
  }

  ids(): string[] {
    return this.source.getFeatures().map((f) => String(f.getId()));
  }
}
