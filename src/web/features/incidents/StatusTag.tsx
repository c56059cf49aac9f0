import type { IncidentStatus } from '../../../domain/incident-workflow';
import { STATUS_COLOURS, statusLabel } from './labels';

/** The status as text on its colour: the colour helps scanning, the text carries the meaning. */
export function StatusTag({ status }: { status: IncidentStatus }) {
  return (
    <span
      className="status-tag"
      data-status={status}
      data-testid="incident-status"
      style={{ background: STATUS_COLOURS[status] ?? '#495057' }}
    >
      {statusLabel(status)}
    </span>
  );
}
