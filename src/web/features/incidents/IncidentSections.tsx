import type { IncidentDetail, IncidentReport, IncidentTimelineEntry } from '../../../domain/incidents';
import { DetailRow } from '../../app/details';
import { MarkingBadge } from '../../app/MarkingBadge';
import { followLink, paths } from '../../app/router';
import { formatUtc, t } from '../../i18n/t';
import {
  categoryLabel,
  distanceText,
  locationPrecisionLabel,
  partyLabel,
  reporterLabel,
  subtypeLabel,
  timePrecisionLabel,
} from './labels';

/** What is known of the event: when, where, who, what, and who works on it. */
export function IncidentFacts({ detail }: { detail: IncidentDetail }) {
  const p = detail.feature.properties;
  const c = p.casualties;
  const [lon = 0, lat = 0] = detail.feature.geometry.coordinates;
  return (
    <section className="section" aria-labelledby="facts-title">
      <h3 id="facts-title" className="section__title">
        {t('incident.summary')}
      </h3>
      <dl className="details__list facts">
        <DetailRow label={t('incidents.category')}>
          {categoryLabel(p.category)} · {subtypeLabel(p.subtype)}
        </DetailRow>
        <DetailRow label={t('incident.observed')}>
          {p.observedTo
            ? t('incident.window', { from: formatUtc(p.observedAt), to: formatUtc(p.observedTo) })
            : formatUtc(p.observedAt)}{' '}
          <span className="muted">({timePrecisionLabel(p.timePrecision)})</span>
        </DetailRow>
        <DetailRow label={t('incident.place')}>
          {lat.toFixed(5)} N, {lon.toFixed(5)} E{' '}
          <span className="muted">({locationPrecisionLabel(p.locationPrecision)})</span>
        </DetailRow>
        <DetailRow label={t('incident.governorate')}>
          <span data-testid="incident-governorate">{p.governorate ?? '—'}</span>
        </DetailRow>
        <DetailRow label={t('incident.lineSide')}>
          <span data-testid="incident-line-side">
            {p.lineSide
              ? t('incident.lineSideValue', {
                  label: p.lineSide.label,
                  zone: p.lineSide.zoneName,
                  version: p.lineSide.version,
                  distance: distanceText(p.lineSide.distanceM),
                })
              : t('incident.noLineSide')}
          </span>
        </DetailRow>
        <DetailRow label={t('incident.parties')}>
          {t('incidents.parties', {
            alleging: partyLabel(p.allegingParty),
            accused: partyLabel(p.accusedParty),
          })}
        </DetailRow>
        <DetailRow label={t('incident.casualties')}>
          {t('incident.casualtiesValue', {
            killed: c.killedCivilians + c.killedUnknown,
            kc: c.killedCivilians,
            injured: c.injuredCivilians + c.injuredUnknown,
            ic: c.injuredCivilians,
          })}
        </DetailRow>
        {p.analyst && <DetailRow label={t('incident.analyst')}>{p.analyst}</DetailRow>}
        {p.reviewer && <DetailRow label={t('incident.reviewer')}>{p.reviewer}</DetailRow>}
        {p.notifiedAt && (
          <DetailRow label={t('incident.notified')}>
            <span data-testid="incident-notified">
              {t('incident.notifiedValue', {
                parties: p.notifiedParties.join(', '),
                at: formatUtc(p.notifiedAt),
              })}
            </span>
          </DetailRow>
        )}
        {p.duplicateOf && (
          <DetailRow label={t('incident.duplicateOf')}>
            <a href={paths.incident(p.duplicateOf)} onClick={followLink} data-testid="incident-duplicate-of">
              {detail.duplicateOfNumber ?? p.duplicateOf}
            </a>
          </DetailRow>
        )}
        {p.sourceAlertId && <DetailRow label={t('incident.sourceAlert')}>{p.sourceAlertId}</DetailRow>}
      </dl>
    </section>
  );
}

function ReportCard({ r }: { r: IncidentReport }) {
  return (
    <li className="report-card" data-testid="incident-report-card">
      <p className="report-card__head">
        <strong>
          {t('incident.reportBy', {
            kind: reporterLabel(r.reporterKind),
            by: r.reporterName ?? r.submittedBy,
            org: r.submittedByOrganisation,
          })}
        </strong>
      </p>
      <p className="muted">
        {t('incident.reportReceived', { at: formatUtc(r.receivedAt) })} ·{' '}
        {t('incidents.parties', {
          alleging: partyLabel(r.allegingParty),
          accused: partyLabel(r.accusedParty),
        })}
        {r.placeName ? ` · ${r.placeName}` : ''}
        {r.grading
          ? ` · ${t('incident.grading', { grade: `${r.grading.reliability}${r.grading.credibility}` })}`
          : ''}
      </p>
      <p className="report-card__narrative">{r.narrative}</p>
      <MarkingBadge text={r.markingText} />
    </li>
  );
}

export function Reports({ reports }: { reports: readonly IncidentReport[] }) {
  return (
    <section className="section" aria-labelledby="reports-title">
      <h3 id="reports-title" className="section__title">
        {t('incident.reports', { count: reports.length })}
      </h3>
      <ul className="report-cards">
        {reports.map((r) => (
          <ReportCard key={r.id} r={r} />
        ))}
      </ul>
    </section>
  );
}

export function Responses({ responses }: { responses: IncidentDetail['responses'] }) {
  if (responses.length === 0) return null;
  return (
    <section className="section" aria-labelledby="responses-title" data-testid="responses">
      <h3 id="responses-title" className="section__title">
        {t('incident.responses')}
      </h3>
      <ul className="report-cards">
        {responses.map((r) => (
          <li key={`${r.party}:${r.at}`} className="report-card">
            <p className="report-card__head">
              <strong>{partyLabel(r.party)}</strong>{' '}
              <span className="muted">
                {formatUtc(r.at)} · {r.by}
              </span>
            </p>
            <p className="report-card__narrative">{r.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Timeline({ entries }: { entries: readonly IncidentTimelineEntry[] }) {
  return (
    <section className="section" aria-labelledby="timeline-title" data-testid="timeline">
      <h3 id="timeline-title" className="section__title">
        {t('incident.timeline')}
      </h3>
      <ol className="timeline">
        {entries.map((e) => {
          const action = t(`incident.action.${e.action}`) ?? e.action;
          const actor = e.actorName ? `${e.actorName} (${e.actor})` : e.actor;
          return (
            <li key={`${e.version}:${e.action}:${e.at}`} className="timeline__item" data-action={e.action}>
              <span className="timeline__at">{formatUtc(e.at)}</span>
              <span>{actor ? t('incident.timeline.entry', { action, actor }) : action}</span>
              {e.note && <span className="timeline__note">{e.note}</span>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
