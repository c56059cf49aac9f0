import { LayerGroup, LayerToggle, LegendSwatch } from '../../app/layerToggle';
import { t } from '../../i18n/t';
import { CONVOY_COLOUR } from '../../map/convoyLayer';

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
    <LayerGroup
      title={t('aid.convoys.layer')}
      legend={
        visible && (
          <p className="incident-legend muted" data-testid="convoy-legend">
            {t('aid.convoys.legend')}
          </p>
        )
      }
    >
      <li>
        <LayerToggle
          checked={visible}
          onChange={onToggle}
          testId="layer-toggle-convoys"
          swatch={
            <LegendSwatch size={20}>
              <path d="M4 4 H16 V16 H4 Z" fill={CONVOY_COLOUR} stroke="#ffffff" strokeWidth="1.5" />
            </LegendSwatch>
          }
          name={t('aid.convoys.layer')}
          count={visible ? count : ''}
          countTestId="convoy-layer-count"
        />
      </li>
    </LayerGroup>
  );
}
