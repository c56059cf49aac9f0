import type { ReactNode } from 'react';
import type { NotificationFeature, NotificationState } from '../../../domain/deconfliction';
import { RecordRow } from '../../app/RecordRow';
import { paths } from '../../app/router';
import { formatUtc, t } from '../../i18n/t';
import { partyLabel } from '../incidents/labels';
import { STATE_COLOURS, stateLabel } from './labels';

/** The state as text on its colour: the colour helps scanning, the text carries the meaning. */
export function StateTag({ state }: { state: NotificationState }) {
  return (
    <span
      className="status-tag"
      data-status={state}
      data-testid="notification-state"
      style={{ background: STATE_COLOURS[state] ?? '#495057' }}
    >
      {stateLabel(state)}
    </span>
  );
}

export function windowText(start: string, end: string | null): string {
  return end
    ? t('notifications.windowValue', { start: formatUtc(start), end: formatUtc(end) })
    : t('notifications.windowOpen', { start: formatUtc(start) });
}

/** Due time of the parties' answers; overdue in red and in words. */
export function DueText({ p }: { p: NotificationFeature['properties'] }) {
  if (!p.answerDueAt || !['transmitted', 'acknowledged'].includes(p.state)) return null;
  return p.overdue ? (
    <strong className="overdue" data-testid="notification-overdue">
      {t('notifications.overdueValue', { at: formatUtc(p.answerDueAt) })}
    </strong>
  ) : (
    <span data-testid="notification-due">
      {t('notifications.dueValue', { at: formatUtc(p.answerDueAt) })}
    </span>
  );
}

/** Each party told, with its answer or "awaited". */
export function PartyAnswers({ p }: { p: NotificationFeature['properties'] }) {
  return (
    <span className="party-answers" data-testid="notification-answers">
      {p.parties
        .map((x) =>
          p.partyAnswers[x]
            ? t('notifications.answerOf', { party: partyLabel(x), answer: stateLabel(p.partyAnswers[x]) })
            : t('notifications.awaiting', { party: partyLabel(x) }),
        )
        .join(' · ')}
    </span>
  );
}

/** One notification in a list: number and title link to its page; actions below when given. */
export function NotificationRow({
  feature,
  children,
}: {
  feature: NotificationFeature;
  children?: ReactNode;
}) {
  const p = feature.properties;
  return (
    <RecordRow
      className="notification-row"
      testId="notification-row"
      id={feature.id}
      number={p.number}
      title={p.title}
      href={paths.notification(feature.id)}
      state={p.state}
      tag={<StateTag state={p.state} />}
      markingText={p.markingText}
      actions={children}
    >
      <div className="incident-row__meta">
        <span>{t(`notifications.kind.${p.kind}`)}</span>
        <span>
          {t('notifications.window')}: {windowText(p.windowStart, p.windowEnd)}
        </span>
        <span>{p.organisation}</span>
        <PartyAnswers p={p} />
        <DueText p={p} />
      </div>
      {(p.noticeText || p.leadTimeWarning) && (
        <div className="incident-row__meta">
          {p.noticeText && <span className="notice-only">{t('notifications.noticeOnly')}</span>}
          {p.leadTimeWarning && (
            <span className="lead-warning lead-warning--inline" data-testid="notification-lead-time">
              {p.leadTimeWarning}
            </span>
          )}
        </div>
      )}
    </RecordRow>
  );
}
