import { t } from '../../i18n/t';
import { CONVOY_COLOUR } from '../../map/convoyLayer';

function Square() {
  return (
    <svg className="incident-swatch" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
      <path d="M4 4 H16 V16 H4 Z" fill={CONVOY_COLOUR} stroke="#ffffff" strokeWidth="1.5" />
    </svg>
  );
}

/** The convoys layer on or off, with its legend and how many convoys have a position. */
export function ConvoyLayerToggle({
  count,
  visible,
  onToggle,
}: {
  count: number;
  visible: boolean;
  onToggle(): void;
}) {
  return (
    <fieldset className="kinds">
      <legend className="kinds__legend">
        <span>{t('aid.convoys.layer')}</span>
      </legend>
      <ul className="kinds__list">
        <li>
          <label className="kind-toggle">
            <input type="checkbox" checked={visible} onChange={onToggle} data-testid="layer-toggle-convoys" />
            <Square />
            <span className="kind-toggle__name">{t('aid.convoys.layer')}</span>
            <span className="kind-toggle__count" data-testid="convoy-layer-count">
              {visible ? count : ''}
            </span>
          </label>
        </li>
      </ul>
      {visible && (
        <p className="incident-legend muted" data-testid="convoy-legend">
          {t('aid.convoys.legend')}
        </p>
      )}
    </fieldset>
  );
}
