import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { Marking } from '../../../domain/marking';
import { hasPermission } from '../../../domain/roles';
import type { Me } from '../../app/auth';
import { MarkingBadge } from '../../app/MarkingBadge';
import { t } from '../../i18n/t';
import { MarkingEditor } from '../zones/editing/MarkingEditor';
import { defaultMarkingDraft, type MarkingDraft, markingFromDraft } from '../zones/editing/markingDraft';
import { AidHeader } from './AidPages';
import { aidApi, exportUrls, type ImportProgress, type RowError, startImport } from './aidApi';
import { fmt } from './labels';

const POLL_MS = 400;
type Kind = 'consignments' | 'activities';

/** Uploads a CSV with an HXL hashtag row, follows the job to its end, and lists the refused rows. */
export function ImportPage({ me, onMarkings }: { me: Me; onMarkings(m: readonly Marking[]): void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<Kind>('consignments');
  const [marking, setMarking] = useState<MarkingDraft>(() => defaultMarkingDraft(me));
  const [job, setJob] = useState<ImportProgress | null>(null);
  const [errors, setErrors] = useState<RowError[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => onMarkings([job ? job.marking : markingFromDraft(marking)]), [job, marking, onMarkings]);

  const jobId = job?.id;
  const resultRef = useRef<HTMLElement>(null);
  // A new job: its progress comes into sight (the form above can be long).
  useEffect(() => {
    if (jobId) resultRef.current?.scrollIntoView({ block: 'nearest' });
  }, [jobId]);
  const running = job?.state === 'running';
  // Polls the job while it runs; its errors are fetched once it ends.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new job starts the polling; its own answers keep it going.
  useEffect(() => {
    if (!jobId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      aidApi.importProgress(jobId).then(
        (p) => {
          if (!live) return;
          setJob(p);
          if (p.state === 'running') timer = setTimeout(tick, POLL_MS);
          else
            aidApi.importErrors(jobId).then(
              (r) => live && setErrors(r.errors),
              (e: unknown) => live && setFailure(e instanceof Error ? e.message : String(e)),
            );
        },
        (e: unknown) => live && setFailure(e instanceof Error ? e.message : String(e)),
      );
    };
    if (running) timer = setTimeout(tick, POLL_MS);
    else tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [jobId]);

  if (!hasPermission(me.roles, 'aid:notify'))
    return (
      <section data-testid="aid-import">
        <AidHeader title={t('aid.import.title')} />
        <p className="notice">{t('aid.import.notAllowed')}</p>
      </section>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setFailure(null);
    setErrors(null);
    setJob(null);
    try {
      const started = await startImport(
        file,
        kind,
        JSON.stringify(markingFromDraft(marking)),
        me.csrfToken ?? null,
      );
      setJob({ ...started, id: started.id ?? started.jobId });
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const percent = job ? Math.max(0, Math.min(100, Math.round(job.percent))) : 0;
  return (
    <section data-testid="aid-import">
      <AidHeader title={t('aid.import.title')} />
      <p className="muted aid-intro">{t('aid.import.intro')}</p>
      <form className="panel aid-form aid-import-form" onSubmit={submit} data-testid="import-form">
        <label className="field" htmlFor={`${id}-file`}>
          <span className="field__label">{t('aid.import.file')}</span>
          <input
            id={`${id}-file`}
            className="field__input"
            type="file"
            accept=".csv,text/csv"
            required
            data-testid="import-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <fieldset className="aid-radios">
          <legend className="field__label">{t('aid.import.kind')}</legend>
          {(['consignments', 'activities'] as const).map((k) => (
            <label key={k} className="aid-radio">
              <input
                type="radio"
                name={`${id}-kind`}
                value={k}
                checked={kind === k}
                onChange={() => setKind(k)}
              />
              {t(`aid.import.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <MarkingEditor value={marking} onChange={setMarking} me={me} legend={t('aid.import.marking')} />
        <div className="form__actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={!file || busy || running}
            data-testid="import-submit"
          >
            {t('aid.import.start')}
          </button>
        </div>
      </form>
      {failure && (
        <p className="error-text" role="alert" data-testid="import-failure">
          {failure}
        </p>
      )}
      {job && (
        <section
          className="panel aid-card aid-import-result"
          data-testid="import-job"
          data-state={job.state}
          aria-live="polite"
        >
          <div className="aid-crossing__head">
            <h3 className="aid-card__title">{job.filename ?? t('aid.import.title')}</h3>
            <MarkingBadge text={job.markingText} />
          </div>
          <div
            className="aid-progress aid-progress--big"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-label={t('aid.import.progress')}
            data-testid="import-progress"
          >
            <span className="aid-progress__bar" style={{ width: `${percent}%` }} />
          </div>
          <p data-testid="import-percent">
            {t('aid.import.percent', {
              percent,
              processed: fmt(job.processedRows),
              total: fmt(job.totalRows),
            })}
          </p>
          <p
            className="aid-kpi"
            data-testid="import-summary"
            data-imported={job.importedRows}
            data-errors={job.errorCount}
          >
            {t(`aid.import.state.${job.state}`)} —{' '}
            {t('aid.import.summary', { imported: fmt(job.importedRows), refused: fmt(job.errorCount) })}
          </p>
          {job.failure && <p className="error-text">{job.failure}</p>}
          {errors && errors.length > 0 && (
            <>
              <div className="aid-crossing__head">
                <h4 className="aid-card__title">{t('aid.import.refused')}</h4>
                <a
                  className="button button--secondary"
                  href={exportUrls.importErrorsCsv(job.id)}
                  download
                  data-testid="import-errors-csv"
                >
                  {t('aid.import.errorsCsv')}
                </a>
              </div>
              <div className="aid-table-wrap">
                <table className="aid-table" data-testid="import-errors">
                  <thead>
                    <tr>
                      <th scope="col">{t('aid.import.row')}</th>
                      <th scope="col">{t('aid.import.column')}</th>
                      <th scope="col">{t('aid.import.value')}</th>
                      <th scope="col">{t('aid.import.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {errors.map((r, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: a row may have several errors.
                      <tr key={`${r.row}-${i}`} data-testid="import-error-row" data-row={r.row}>
                        <td>{r.row}</td>
                        <td>
                          <code>{r.column ?? ''}</code>
                        </td>
                        <td>{r.value ?? ''}</td>
                        <td>{r.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      )}
    </section>
  );
}
