import { INCIDENT_STATUSES } from '../../../domain/incident-workflow';
import { t } from '../../i18n/t';
import { STATUS_COLOURS, statusLabel } from './labels';

function Triangle({ colour }: { colour: string }) {
  return (
    <svg className="incident-swatch" viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
      <path d="M10 2 L18.5 17 H1.5 Z" fill={colour} stroke="#ffffff" strokeWidth="1.5" />
    </svg>
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
    <fieldset className="kinds">
      <legend className="kinds__legend">
        <span>{t('incidents.layer')}</span>
      </legend>
      <ul className="kinds__list">
        <li>
          <label className="kind-toggle">
            <input
              type="checkbox"
              checked={visible}
              onChange={onToggle}
              data-testid="layer-toggle-incidents"
            />
            <svg className="incident-swatch" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
              <path
                d="M10 2 L18.5 17 H1.5 Z"
                fill={STATUS_COLOURS.received}
                stroke="#ffffff"
                strokeWidth="1.5"
              />
            </svg>
            <span className="kind-toggle__name">{t('incidents.layer')}</span>
            <span className="kind-toggle__count" data-testid="incident-layer-count">
              {count}
            </span>
          </label>
        </li>
      </ul>
      {visible && (
        <ul className="incident-legend" aria-label={t('incidents.legend')}>
          {INCIDENT_STATUSES.map((s) => (
            <li key={s}>
              <Triangle colour={STATUS_COLOURS[s]} />
              {statusLabel(s)}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
