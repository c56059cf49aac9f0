import { INCIDENT_STATUSES } from '../../../domain/incident-workflow';
import { LayerGroup, LayerToggle, LegendSwatch } from '../../app/layerToggle';
import { t } from '../../i18n/t';
import { STATUS_COLOURS, statusLabel } from './labels';

function Triangle({ colour, size }: { colour: string; size: number }) {
  return (
    <LegendSwatch size={size}>
      <path d="M10 2 L18.5 17 H1.5 Z" fill={colour} stroke="#ffffff" strokeWidth="1.5" />
    </LegendSwatch>
  );
}

interface IncidentLayerToggleProps {
  count: number;
  visible: boolean;
  onToggle(): void;
}

/** The incidents layer on or off, with a legend swatch and the number of incidents on the map. */
export function IncidentLayerToggle({ count, visible, onToggle }: IncidentLayerToggleProps) {
  return (
    <LayerGroup
      title={t('incidents.layer')}
      legend={
        visible && (
          <ul className="incident-legend" aria-label={t('incidents.legend')}>
            {INCIDENT_STATUSES.map((s) => (
              <li key={s}>
                <Triangle colour={STATUS_COLOURS[s]} size={16} />
                {statusLabel(s)}
              </li>
            ))}
          </ul>
        )
      }
    >
      <li>
        <LayerToggle
          checked={visible}
          onChange={onToggle}
          testId="layer-toggle-incidents"
          swatch={<Triangle colour={STATUS_COLOURS.received} size={20} />}
          name={t('incidents.layer')}
          count={count}
          countTestId="incident-layer-count"
        />
      </li>
    </LayerGroup>
  );
}
