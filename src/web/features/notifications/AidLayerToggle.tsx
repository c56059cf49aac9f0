import { FACILITY_KINDS, FACILITY_STATUSES } from '../../../domain/facilities';
import { LayerGroup, LayerToggle, LegendSwatch } from '../../app/layerToggle';
import { t } from '../../i18n/t';
import {
  FACILITY_GLYPHS,
  FACILITY_STATUS_COLOURS,
  facilityKindLabel,
  facilityStatusLabel,
  STATE_COLOURS,
  stateLabel,
} from './labels';
import type { AidLayerName } from './useAidMap';

function Square({ colour, glyph }: { colour: string; glyph?: string }) {
  return (
    <LegendSwatch size={18}>
      <rect x="2" y="2" width="16" height="16" rx="2" fill={colour} stroke="#ffffff" strokeWidth="1.5" />
      {glyph && (
        <text x="10" y="14" textAnchor="middle" fontSize="10" fontWeight="700" fill="#ffffff">
          {glyph}
        </text>
      )}
    </LegendSwatch>
  );
}

function Dash({ colour }: { colour: string }) {
  return (
    <LegendSwatch size={18}>
      <path d="M1 10 H19" stroke={colour} strokeWidth="3.5" strokeDasharray="5 3" />
    </LegendSwatch>
  );
}

const LEGEND_STATES = [
  'submitted',
  'transmitted',
  'acknowledged',
  'facilitated',
  'partially-facilitated',
  'postponed',
  'en-route',
  'impeded',
] as const;

interface AidLayerToggleProps {
  counts: Record<AidLayerName, number>;
  visible: Record<AidLayerName, boolean>;
  onToggle(which: AidLayerName): void;
}

/** Facilities and notified sites and routes on or off, with their legends. */
export function AidLayerToggle({ counts, visible, onToggle }: AidLayerToggleProps) {
  return (
    <LayerGroup
      title={t('nav.notifications')}
      testId="aid-layers"
      legend={
        <>
          {visible.facilities && (
            <ul className="incident-legend aid-legend" aria-label={t('facilities.legend')}>
              {FACILITY_STATUSES.map((s) => (
                <li key={s}>
                  <Square colour={FACILITY_STATUS_COLOURS[s]} />
                  {facilityStatusLabel(s)}
                </li>
              ))}
              {FACILITY_KINDS.map((k) => (
                <li key={k}>
                  <Square colour="#495057" glyph={FACILITY_GLYPHS[k]} />
                  {facilityKindLabel(k)}
                </li>
              ))}
            </ul>
          )}
          {visible.notifications && (
            <ul className="incident-legend aid-legend" aria-label={t('notifications.stateLegend')}>
              {LEGEND_STATES.map((s) => (
                <li key={s}>
                  <Dash colour={STATE_COLOURS[s]} />
                  {stateLabel(s)}
                </li>
              ))}
            </ul>
          )}
        </>
      }
    >
      <li>
        <LayerToggle
          checked={visible.facilities}
          onChange={() => onToggle('facilities')}
          testId="layer-toggle-facilities"
          swatch={<Square colour={FACILITY_STATUS_COLOURS.operational} glyph="H" />}
          name={t('facilities.layer')}
          count={counts.facilities}
          countTestId="facility-layer-count"
        />
      </li>
      <li>
        <LayerToggle
          checked={visible.notifications}
          onChange={() => onToggle('notifications')}
          testId="layer-toggle-notifications"
          swatch={<Dash colour={STATE_COLOURS.facilitated} />}
          name={t('notifications.layer')}
          count={counts.notifications}
          countTestId="notification-layer-count"
        />
      </li>
    </LayerGroup>
  );
}
