import { useId, useState } from 'react';
import { FINDINGS, type Finding, type IncidentAssessment } from '../../../domain/incidents';
import { t } from '../../i18n/t';
import { findingLabel } from './labels';

interface AssessmentEditorProps {
  assessment: IncidentAssessment | null;
  busy: boolean;
  canSubmit: boolean;
  onSave(finding: Finding, rationale: string): Promise<boolean>;
  onSubmit(finding: Finding, rationale: string): Promise<boolean>;
}

/** The analyst's finding and rationale while the incident is under verification, and the way to review. */
export function AssessmentEditor({ assessment, busy, canSubmit, onSave, onSubmit }: AssessmentEditorProps) {
  const id = useId();
  const [finding, setFinding] = useState<Finding | ''>(assessment?.finding ?? '');
  const [rationale, setRationale] = useState(assessment?.rationale ?? '');
  const ready = finding !== '' && rationale.trim() !== '';
  return (
    <form
      className="assessment-editor"
      data-testid="assessment-editor"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        if (finding) void onSave(finding, rationale.trim());
      }}
    >
      <h4 id={`${id}-title`} className="section__subtitle">
        {t('incident.assessmentEditor')}
      </h4>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-finding`}>
          {t('incident.finding.label')}
        </label>
        <select
          id={`${id}-finding`}
          className="field__input"
          value={finding}
          data-testid="assessment-finding"
          onChange={(e) => setFinding(e.target.value as Finding | '')}
        >
          <option value="">{t('incident.chooseFinding')}</option>
          {FINDINGS.map((f) => (
            <option key={f} value={f}>
              {findingLabel(f)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-rationale`}>
          {t('incident.rationale')}
        </label>
        <textarea
          id={`${id}-rationale`}
          className="field__input field__textarea"
          rows={5}
          maxLength={20000}
          value={rationale}
          data-testid="assessment-rationale"
          onChange={(e) => setRationale(e.target.value)}
        />
      </div>
      <div className="form__actions">
        <button
          type="submit"
          className="button button--secondary"
          disabled={busy || !ready}
          data-testid="assessment-save"
        >
          {t('incident.saveAssessment')}
        </button>
        {canSubmit && (
          <button
            type="button"
            className="button button--primary"
            disabled={busy || !ready}
            data-testid="incident-action-submit-for-review"
            onClick={() => {
              if (finding) void onSubmit(finding, rationale.trim());
            }}
          >
            {t('incident.do.submit-for-review')}
          </button>
        )}
      </div>
      {!ready && <p className="field__hint">{t('incident.assessmentNeeded')}</p>}
    </form>
  );
}
