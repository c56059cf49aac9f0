import { useEffect, useMemo, useState } from 'react';
import type { IncidentAction } from '../../../domain/incident-workflow';
import type { Finding, IncidentFeature } from '../../../domain/incidents';
import type { Marking } from '../../../domain/marking';
import { hasPermission } from '../../../domain/roles';
import type { ApiError } from '../../app/api';
import type { Me } from '../../app/auth';
import { MarkingBadge } from '../../app/MarkingBadge';
import { PageNoticeLine } from '../../app/PageNoticeLine';
import { BackLink, RecordPending } from '../../app/RecordPending';
import { paths } from '../../app/router';
import { type RecordPageTexts, useRecordPage } from '../../app/useRecordPage';
import { formatUtc, t } from '../../i18n/t';
import { AssessmentEditor } from './AssessmentEditor';
import { EvidencePanel } from './EvidencePanel';
import { IncidentActions } from './IncidentActions';
import { IncidentEditor } from './IncidentEditor';
import { IncidentFacts, Reports, Responses, Timeline } from './IncidentSections';
import { type ActionBody, incidentsApi } from './incidentsApi';
import { findingLabel } from './labels';
import { StatusTag } from './StatusTag';

interface IncidentPageProps {
  me: Me;
  id: string;
  /** The version the live feed knows: a newer one than shown is fetched. */
  liveVersion: number | null;
  onChanged(feature: IncidentFeature): void;
  onMarkings(markings: readonly Marking[]): void;
}

const TEXTS: RecordPageTexts = {
  loadFailed: (detail) => t('incident.loadFailed', { detail }),
  conflict: () => t('incident.conflict'),
  actionFailed: (detail) => t('incident.actionFailed', { detail }),
};
/** Four-eyes refusals come as 409 too, but reloading would not change them. */
const notFourEyes = (e: ApiError) => e.problem?.code !== 'four-eyes';

/** One incident: header, facts, assessment, actions, evidence, reports and timeline. */
export function IncidentPage({ me, id, liveVersion, onChanged, onMarkings }: IncidentPageProps) {
  const { detail, loadError, busy, notice, send } = useRecordPage({
    id,
    get: incidentsApi.get,
    liveVersion,
    onChanged,
    texts: TEXTS,
    isConflict: notFourEyes,
  });
  const [evidenceMarkings, setEvidenceMarkings] = useState<readonly Marking[]>([]);

  const markings = useMemo(
    () =>
      detail
        ? [detail.feature.properties.marking, ...detail.reports.map((r) => r.marking), ...evidenceMarkings]
        : [],
    [detail, evidenceMarkings],
  );
  useEffect(() => onMarkings(markings), [markings, onMarkings]);

  if (!detail)
    return (
      <RecordPending
        className="incident-page"
        testId="incident-page"
        back={back()}
        loadError={loadError}
        notFound={t('incident.notFound', { id })}
        loading={t('incident.loading')}
      />
    );

  const p = detail.feature.properties;
  const v = p.version;
  const editsAssessment =
    p.status === 'under-verification' &&
    p.analyst === me.username &&
    hasPermission(me.roles, 'incidents:assess');
  const act = (action: IncidentAction, body?: ActionBody) =>
    send(
      () => incidentsApi.act(id, action, v, body),
      t('incident.done', { action: t(`incident.action.${action}`) }),
    );

  return (
    <div className="page incident-page" data-testid="incident-page" data-status={p.status}>
      <BackLink {...back()} />
      <header className="incident-header">
        <p className="incident-header__number" data-testid="incident-number">
          {p.number}
        </p>
        <h2 className="page__title">{p.title}</h2>
        <div className="incident-header__tags">
          <StatusTag status={p.status} />
          {p.finding && (
            <span className="finding-tag" data-testid="incident-finding" data-finding={p.finding}>
              {t('incident.finding')}: {findingLabel(p.finding)}
            </span>
          )}
          <MarkingBadge text={p.markingText} />
        </div>
      </header>
      <PageNoticeLine notice={notice} testId="incident-notice" />
      <div className="incident-page__grid">
        <div className="incident-page__main">
          <IncidentFacts detail={detail} />
          <section className="section" aria-labelledby="assessment-title" data-testid="assessment">
            <h3 id="assessment-title" className="section__title">
              {t('incident.assessment')}
            </h3>
            {detail.assessment ? (
              <div
                className="assessment"
                data-testid="assessment-current"
                data-finding={detail.assessment.finding}
              >
                <p>
                  <strong>{findingLabel(detail.assessment.finding)}</strong>
                </p>
                <p className="assessment__rationale">{detail.assessment.rationale}</p>
                <p className="muted">
                  {t('incident.assessedBy', {
                    who: detail.assessment.assessedBy,
                    at: formatUtc(detail.assessment.assessedAt),
                  })}
                  {detail.assessment.approvedBy &&
                    ` · ${t('incident.approvedBy', {
                      who: detail.assessment.approvedBy,
                      at: formatUtc(detail.assessment.approvedAt),
                    })}`}
                </p>
              </div>
            ) : (
              <p className="muted">{t('incident.noAssessment')}</p>
            )}
            {editsAssessment && (
              <AssessmentEditor
                key={`assessment:${id}:${v}`}
                assessment={detail.assessment}
                busy={busy}
                canSubmit={detail.allowedActions.includes('submit-for-review')}
                onSave={(finding: Finding, rationale: string) =>
                  send(
                    () => incidentsApi.saveAssessment(id, v, finding, rationale),
                    t('incident.assessmentSaved'),
                  )
                }
                onSubmit={(finding: Finding, rationale: string) =>
                  act('submit-for-review', { finding, rationale })
                }
              />
            )}
          </section>
          <Reports reports={detail.reports} />
          <Responses responses={detail.responses} />
        </div>
        <div className="incident-page__side">
          <section className="section section--actions" aria-labelledby="actions-title">
            <h3 id="actions-title" className="section__title">
              {t('incident.actions')}
            </h3>
            <IncidentActions
              key={`actions:${id}:${v}`}
              detail={detail}
              skip={editsAssessment ? ['submit-for-review'] : []}
              busy={busy}
              ownParty={me.roles.includes('party-liaison') ? me.nation : null}
              run={act}
            />
            {hasPermission(me.roles, 'incidents:triage') && !['closed', 'merged'].includes(p.status) && (
              <IncidentEditor
                key={`editor:${id}:${v}`}
                incident={p}
                busy={busy}
                onSave={(edit) => send(() => incidentsApi.edit(id, v, edit), t('incident.edited'))}
              />
            )}
          </section>
          <EvidencePanel
            incidentId={id}
            marking={p.marking}
            canAdd={hasPermission(me.roles, 'incidents:evidence')}
            merged={p.status === 'merged'}
            version={v}
            onMarkings={setEvidenceMarkings}
          />
          <Timeline entries={detail.timeline} />
        </div>
      </div>
    </div>
  );
}

const back = () => ({ href: paths.incidents(), label: t('incident.back') });
