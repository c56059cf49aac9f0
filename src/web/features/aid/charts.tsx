import type { Throughput } from '../../../domain/crossings';
import { t } from '../../i18n/t';
import type { Dashboard, FunnelStep } from './aidApi';
import { CATEGORY_COLOURS, categoryLabel, fmt, STATE_COLOURS, stateLabel } from './labels';

const CROSSING_PALETTE = ['#0b5cad', '#9a5b00', '#0a6e6e', '#5a3d99', '#8a2d5c', '#1e7a36', '#56606b'];

/**
 * Trucks per day, stacked by crossing, with the summed daily target as a dashed line. The figures
 * are also in a table for screen readers and for reading exact values.
 */
export function TrucksChart({ dashboard }: { dashboard: Dashboard }) {
  const days = dashboard.trucksPerDay;
  const W = 720;
  const H = 240;
  const pad = { l: 44, r: 8, t: 12, b: 28 };
  const max = Math.max(1, ...days.map((d) => Math.max(d.trucks, d.targetTrucks)));
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const slot = (W - pad.l - pad.r) / Math.max(1, days.length);
  const bar = Math.max(4, slot * 0.7);
  const byCrossing = dashboard.crossings.map((c) => new Map(c.days.map((d) => [d.day, d] as const)));
  const ticks = [0, Math.round(max / 2), max];
  const targetPath = days
    .map((d, i) => `${i ? 'L' : 'M'}${pad.l + i * slot},${y(d.targetTrucks)}h${slot}`)
    .join('');
  return (
    <figure className="aid-chart" data-testid="trucks-chart">
      <div className="aid-chart__scroll">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('aid.dash.trucksChart')}>
          {ticks.map((v) => (
            <g key={v}>
              <line x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} stroke="#cfd6dd" />
              <text x={pad.l - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#56606b">
                {fmt(v)}
              </text>
            </g>
          ))}
          {days.map((d, i) => {
            let base = 0;
            const x = pad.l + i * slot + (slot - bar) / 2;
            return (
              <g key={d.day}>
                {dashboard.crossings.map((c, ci) => {
                  const v = byCrossing[ci]?.get(d.day)?.trucks ?? 0;
                  if (!v) return null;
                  const top = y(base + v);
                  const h = y(base) - top;
                  base += v;
                  return (
                    <rect
                      key={c.id}
                      x={x}
                      y={top}
                      width={bar}
                      height={h}
                      fill={CROSSING_PALETTE[ci % CROSSING_PALETTE.length]}
                    >
                      <title>{`${d.day} ${c.name}: ${fmt(v)}`}</title>
                    </rect>
                  );
                })}
                {(days.length <= 16 || i % Math.ceil(days.length / 14) === 0) && (
                  <text x={x + bar / 2} y={H - 10} textAnchor="middle" fontSize="10" fill="#56606b">
                    {d.day.slice(5)}
                  </text>
                )}
              </g>
            );
          })}
          <path d={targetPath} fill="none" stroke="#b3122f" strokeWidth="2" strokeDasharray="6 4" />
        </svg>
      </div>
      <figcaption className="aid-legend">
        {dashboard.crossings.map((c, ci) => (
          <span key={c.id} className="aid-legend__item">
            <span
              className="aid-legend__swatch"
              style={{ background: CROSSING_PALETTE[ci % CROSSING_PALETTE.length] }}
            />
            {c.name}
          </span>
        ))}
        <span className="aid-legend__item">
          <span className="aid-legend__line" />
          {t('aid.dash.target')}
        </span>
      </figcaption>
      <details className="aid-chart__table">
        <summary>{t('aid.dash.asTable')}</summary>
        <ThroughputTable days={days} />
      </details>
    </figure>
  );
}

export function ThroughputTable({ days }: { days: readonly Throughput[] }) {
  return (
    <table className="aid-table">
      <thead>
        <tr>
          <th scope="col">{t('aid.col.day')}</th>
          <th scope="col">{t('aid.col.trucks')}</th>
          <th scope="col">{t('aid.col.target')}</th>
          <th scope="col">{t('aid.col.tonnes')}</th>
          <th scope="col">{t('aid.col.pallets')}</th>
        </tr>
      </thead>
      <tbody>
        {days.map((d) => (
          <tr key={d.day}>
            <td>{d.day}</td>
            <td>{fmt(d.trucks)}</td>
            <td>{fmt(d.targetTrucks)}</td>
            <td>{fmt(d.tonnes, 1)}</td>
            <td>{fmt(d.pallets)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Horizontal bars: tonnes per item category, with the figure written beside each bar. */
export function TonnesChart({ rows }: { rows: Dashboard['tonnesByCategory'] }) {
  const max = Math.max(1, ...rows.map((r) => r.tonnes));
  if (rows.length === 0) return <p className="muted">{t('aid.dash.noTonnes')}</p>;
  return (
    <ul className="aid-hbars" aria-label={t('aid.dash.tonnes')} data-testid="tonnes-chart">
      {rows.map((r) => (
        <li key={r.category} className="aid-hbars__row">
          <span className="aid-hbars__label">{categoryLabel(r.category)}</span>
          <span className="aid-hbars__track">
            <span
              className="aid-hbars__bar"
              style={{
                width: `${(100 * r.tonnes) / max}%`,
                background: CATEGORY_COLOURS[r.category] ?? '#56606b',
              }}
            />
          </span>
          <span className="aid-hbars__value">{t('aid.tonnesValue', { value: fmt(r.tonnes, 1) })}</span>
        </li>
      ))}
    </ul>
  );
}

/** The pipeline: how many are in each state now and how many ever reached it. */
export function Funnel({ steps }: { steps: readonly FunnelStep[] }) {
  const max = Math.max(1, ...steps.map((s) => s.reached));
  return (
    <table className="aid-table aid-funnel" data-testid="funnel">
      <thead>
        <tr>
          <th scope="col">{t('aid.col.state')}</th>
          <th scope="col">{t('aid.col.now')}</th>
          <th scope="col">{t('aid.col.reached')}</th>
          <th scope="col" className="aid-funnel__barcol">
            <span className="visually-hidden">{t('aid.col.reached')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {steps.map((s) => (
          <tr
            key={s.state}
            data-testid={`funnel-${s.state}`}
            data-count={s.count}
            data-reached={s.reached}
            data-stage={s.stage}
          >
            <th scope="row">{stateLabel(s.state)}</th>
            <td>{fmt(s.count)}</td>
            <td>{fmt(s.reached)}</td>
            <td className="aid-funnel__barcol">
              <span className="aid-funnel__track" aria-hidden="true">
                <span
                  className="aid-funnel__bar"
                  style={{ width: `${(100 * s.reached) / max}%`, background: STATE_COLOURS[s.state] }}
                />
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
