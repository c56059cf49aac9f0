import type { MergeCandidate } from '../../../domain/incidents';
import { followLink, paths } from '../../app/router';
import { t } from '../../i18n/t';
import { CandidateList } from './CandidateList';

export interface ReportResult {
  id: string;
  number: string;
  candidates: MergeCandidate[];
}

/** After a report: its incident's number, the incidents it may be the same event as, and what next. */
export function ReportDone({ done, onAnother }: { done: ReportResult; onAnother(): void }) {
  return (
    <section className="panel report-done" data-testid="report-done" aria-labelledby="report-done-title">
      <h3 id="report-done-title" className="panel__title" role="status">
        {t('incidents.form.done', { number: done.number })}
      </h3>
      {done.candidates.length > 0 ? (
        <>
          <p>{t('incidents.form.candidates')}</p>
          <CandidateList candidates={done.candidates} />
        </>
      ) : (
        <p className="muted">{t('incidents.form.noCandidates')}</p>
      )}
      <div className="form__actions">
        <a
          className="button button--primary"
          href={paths.incident(done.id)}
          onClick={followLink}
          data-testid="report-open"
        >
          {t('incidents.form.open', { number: done.number })}
        </a>
        <button type="button" className="button button--secondary" onClick={onAnother}>
          {t('incidents.form.another')}
        </button>
      </div>
    </section>
  );
}
