import { FACILITY_KINDS, FACILITY_STATUSES } from '../../../domain/facilities';
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
    <svg className="incident-swatch" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
      <rect x="2" y="2" width="16" height="16" rx="2" fill={colour} stroke="#ffffff" strokeWidth="1.5" />
      {glyph && (
        <text x="10" y="14" textAnchor="middle" fontSize="10" fontWeight="700" fill="#ffffff">
          {glyph}
        </text>
      )}
    </svg>
  );
}

function Dash({ colour }: { colour: string }) {
  return (
    <svg className="incident-swatch" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
      <path d="M1 10 H19" stroke={colour} strokeWidth="3.5" strokeDasharray="5 3" />
    </svg>
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
    <fieldset className="kinds" data-testid="aid-layers">
      <legend className="kinds__legend">
        <span>{t('nav.notifications')}</span>
      </legend>
      <ul className="kinds__list">
        <li>
          <label className="kind-toggle">
            <input
              type="checkbox"
              checked={visible.facilities}
              onChange={() => onToggle('facilities')}
              data-testid="layer-toggle-facilities"
            />
            <Square colour={FACILITY_STATUS_COLOURS.operational} glyph="H" />
            <span className="kind-toggle__name">{t('facilities.layer')}</span>
            <span className="kind-toggle__count" data-testid="facility-layer-count">
              {counts.facilities}
            </span>
          </label>
        </li>
        <li>
          <label className="kind-toggle">
            <input
              type="checkbox"
              checked={visible.notifications}
              onChange={() => onToggle('notifications')}
              data-testid="layer-toggle-notifications"
            />
            <Dash colour={STATE_COLOURS.facilitated} />
            <span className="kind-toggle__name">{t('notifications.layer')}</span>
            <span className="kind-toggle__count" data-testid="notification-layer-count">
              {counts.notifications}
            </span>
          </label>
        </li>
      </ul>
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
    </fieldset>
  );
}
