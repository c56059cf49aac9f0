import type { AlertHistoryEntry, NOTIFIED_SITE_TRIGGER } from '../../../domain/alert-status';
import type { AlertTrigger } from '../../../domain/alerts';
import { t } from '../../i18n/t';
import type { AlertSeverity, AlertStatus } from './types';

export const severityLabel = (s: AlertSeverity) => t(`alerts.severity.${s}`);
export const statusLabel = (s: AlertStatus) => t(`alerts.status.${s}`);
export const triggerLabel = (s: AlertTrigger | typeof NOTIFIED_SITE_TRIGGER) =>
  ['enter', 'exit', 'cross', 'approach', 'dwell', 'notified-site'].includes(s) ? t(`alerts.trigger.${s}`) : s;

/** One line of the timeline, e.g. "Assigned to usa.planner by usa.monitor". */
export function historyText(e: AlertHistoryEntry): string {
  const actor = e.actorName ? `${e.actorName} (${e.actor})` : (e.actor ?? '');
  switch (e.action) {
    case 'raised':
      return t('alerts.history.raised');
    case 'assigned':
      return e.assignee
        ? t('alerts.history.assigned', { assignee: e.assignee, actor })
        : t('alerts.history.unassigned', { actor });
    default:
      return t(`alerts.history.${e.action}`, { actor });
  }
}
