import type { MergeCandidate } from '../../../domain/incidents';
import { followLink, paths } from '../../app/router';
import { t } from '../../i18n/t';
import { distanceText } from './labels';
import { StatusTag } from './StatusTag';

export function gapText(minutes: number): string {
  return minutes <= 0 ? t('incidents.gapNone') : t('incidents.gapMinutes', { minutes: Math.round(minutes) });
}

/** Incidents near in place and time to another: each links to its page. */
export function CandidateList({ candidates }: { candidates: readonly MergeCandidate[] }) {
  return (
    <ul className="candidate-list" data-testid="candidates">
      {candidates.map((c) => (
        <li key={c.incidentId} className="candidate-list__item" data-testid="candidate">
          <a href={paths.incident(c.incidentId)} onClick={followLink}>
            {c.number}
          </a>{' '}
          <span>{c.title}</span> <StatusTag status={c.status} />{' '}
          <span className="muted">
            {distanceText(c.distanceM)}, {gapText(c.gapMinutes)}
          </span>
        </li>
      ))}
    </ul>
  );
}
