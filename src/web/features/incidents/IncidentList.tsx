import type { IncidentFeature } from '../../../domain/incidents';
import { MarkingBadge } from '../../app/MarkingBadge';
import { followLink, paths } from '../../app/router';
import { formatUtc, t } from '../../i18n/t';
import { categoryLabel, findingLabel, partyLabel, subtypeLabel } from './labels';
import { StatusTag } from './StatusTag';

/** The incidents, newest first: number and title link to the incident page. */
export function IncidentList({ incidents }: { incidents: readonly IncidentFeature[] }) {
  if (incidents.length === 0) return <p className="incident-list__empty muted">{t('incidents.empty')}</p>;
  return (
    <ul className="incident-list" aria-label={t('incidents.title')}>
      {incidents.map((f) => {
        const p = f.properties;
        return (
          <li
            key={f.id}
            className="incident-row"
            data-testid="incident-row"
            data-id={f.id}
            data-number={p.number}
          >
            <div className="incident-row__head">
              <a className="incident-row__link" href={paths.incident(f.id)} onClick={followLink}>
                <span className="incident-row__number">{p.number}</span>
                <span className="incident-row__title">{p.title}</span>
              </a>
              <StatusTag status={p.status} />
            </div>
            <div className="incident-row__meta">
              <span>{formatUtc(p.observedAt)}</span>
              <span>
                {categoryLabel(p.category)} · {subtypeLabel(p.subtype)}
              </span>
              {p.governorate && <span>{p.governorate}</span>}
              <span>
                {t('incidents.parties', {
                  alleging: partyLabel(p.allegingParty),
                  accused: partyLabel(p.accusedParty),
                })}
              </span>
              {p.finding && (
                <span className="incident-row__finding">
                  {t('incident.finding')}:{' '}
                  <strong data-testid="incident-row-finding">{findingLabel(p.finding)}</strong>
                </span>
              )}
            </div>
            <MarkingBadge text={p.markingText} />
          </li>
        );
      })}
    </ul>
  );
}
