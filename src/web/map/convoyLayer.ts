import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import VectorLayer from 'ol/layer/Vector';
import { fromLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import { Circle, Fill, RegularShape, Stroke, Style, Text } from 'ol/style';

/** What the map needs of a convoy: where its track was last seen and what to write beside it. */
export interface ConvoyPoint {
  id: string;
  name: string;
  lon: number;
  lat: number;
  trucks: number;
}

/** The convoy colour of the legend; the label carries the name, so the colour is not the only cue. */
export const CONVOY_COLOUR = '#1b1f24';

function convoyStyle(): (f: import('ol/Feature').FeatureLike) => Style[] {
  const halo = new Style({ image: new Circle({ radius: 11, fill: new Fill({ color: '#ffffff' }) }) });
  const mark = new Style({
    image: new RegularShape({
      points: 4,
      radius: 9,
      angle: Math.PI / 4,
      fill: new Fill({ color: CONVOY_COLOUR }),
      stroke: new Stroke({ color: '#ffffff', width: 1.5 }),
    }),
  });
  return (f) => [
    halo,
    mark,
    new Style({
      text: new Text({
        text: String(f.get('label') ?? ''),
        offsetY: -18,
        font: '600 12px system-ui, sans-serif',
        fill: new Fill({ color: '#1b1f24' }),
        stroke: new Stroke({ color: '#ffffff', width: 3 }),
      }),
    }),
  ];
}

/** The convoys layer: one square per convoy at its track's last position. */
export class ConvoyLayer {
  readonly source = new VectorSource();
  readonly layer = new VectorLayer({
    source: this.source,
    style: convoyStyle(),
    zIndex: 25,
    properties: { name: 'convoys' },
  });

  sync(convoys: readonly ConvoyPoint[]): void {
    this.source.clear(true);
    this.source.addFeatures(
      convoys.map((c) => {
        const f = new Feature({
          geometry: new Point(fromLonLat([c.lon, c.lat])),
          label: c.name,
        });
        f.setId(c.id);
        return f;
      }),
    );
  }

  setVisible(visible: boolean): void {
    this.layer.setVisible(visible);
  }
}
