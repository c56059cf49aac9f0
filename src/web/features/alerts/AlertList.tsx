import { memo } from 'react';
import { MarkingBadge } from '../../app/MarkingBadge';
import { formatUtcSeconds, t } from '../../i18n/t';
import { statusLabel } from './labels';
import { SeverityTag } from './SeverityTag';
import type { AlertFeature } from './types';

const MAX_ROWS = 300;

const AlertRow = memo(function AlertRow({
  alert,
  selected,
  onPick,
}: {
  alert: AlertFeature;
  selected: boolean;
  onPick(id: string): void;
}) {
  const p = alert.properties;
  return (
    <li>
      <button
        type="button"
        className={`alert-row alert-row--${p.status}`}
        aria-current={selected ? 'true' : undefined}
        data-testid="alert-row"
        data-id={alert.id}
        data-status={p.status}
        onClick={() => onPick(alert.id)}
      >
        <span className="alert-row__head">
          <SeverityTag severity={p.severity} />
          <span className="alert-row__status" data-testid="alert-row-status">
            {statusLabel(p.status)}
          </span>
          <time className="alert-row__time" dateTime={p.at}>
            {formatUtcSeconds(p.at)}
          </time>
        </span>
        <span className="alert-row__summary">{p.summary}</span>
        <span className="alert-row__meta">
          {p.zoneName !== null && p.zoneVersion !== null
            ? `${p.trackCallsign} · ${t('alerts.zoneVersion', { name: p.zoneName, version: p.zoneVersion })}`
            : t('alerts.trigger.notified-site')}
          {p.assignee ? ` · ${t('alerts.assignee')} ${p.assignee}` : ''}
        </span>
        <span className="alert-row__marking">
          <MarkingBadge text={p.markingText} />
        </span>
      </button>
    </li>
  );
});

export function AlertList({
  alerts,
  selectedId,
  onPick,
}: {
  alerts: readonly AlertFeature[];
  selectedId: string | null;
  onPick(id: string): void;
}) {
  if (alerts.length === 0) return <p className="zone-list__empty">{t('alerts.empty')}</p>;
  return (
    <ul className="alert-list" data-testid="alert-list">
      {alerts.slice(0, MAX_ROWS).map((a) => (
        <AlertRow key={a.id} alert={a} selected={a.id === selectedId} onPick={onPick} />
      ))}
    </ul>
  );
}
