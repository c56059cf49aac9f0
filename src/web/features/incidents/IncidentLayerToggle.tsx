import { t } from '../../i18n/t';
import { STATUS_COLOURS } from './labels';

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
    </fieldset>
  );
}
