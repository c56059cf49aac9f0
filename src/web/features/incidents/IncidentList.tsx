import type { IncidentFeature } from '../../../domain/incidents';
import { RecordRow } from '../../app/RecordRow';
import { paths } from '../../app/router';
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
          <RecordRow
            key={f.id}
            testId="incident-row"
            id={f.id}
            number={p.number}
            title={p.title}
            href={paths.incident(f.id)}
            tag={<StatusTag status={p.status} />}
            markingText={p.markingText}
          >
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
          </RecordRow>
        );
      })}
    </ul>
  );
}
