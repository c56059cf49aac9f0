import { type ChangeEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Geometry } from '../../../../domain/geometry';
import { formatMarking } from '../../../../domain/marking';
import { ApiError } from '../../../app/api';
import type { Me } from '../../../app/auth';
import { CloseButton } from '../../../app/details';
import { MarkingBadge } from '../../../app/MarkingBadge';
import { t } from '../../../i18n/t';
import { isZoneKind, kindLabel } from '../kinds';
import { type ImportAnswer, type ImportProblem, zonesWrite } from './editApi';
import { type FormError, FormErrors } from './FormErrors';
import { type ImportRowInfo, type ParsedImport, parseImportText, rowInfo } from './importFile';
import { MarkingEditor } from './MarkingEditor';
import { defaultMarkingDraft, type MarkingDraft, markingFromDraft } from './markingDraft';

export interface PreviewFeature {
  geometry: Geometry;
  kind: string;
  name: string;
}

type Check =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'done'; answer: ImportAnswer }
  | { status: 'failed'; error: FormError };

type Outcome =
  | { status: 'done'; created: number; errors: ImportProblem[] }
  | { status: 'failed'; error: FormError };

const MAX_ROWS = 500;
const CHECK_DELAY_MS = 250;

function importErrors(e: unknown): ImportProblem[] {
  const list = e instanceof ApiError ? e.problem?.errors : undefined;
  return Array.isArray(list)
    ? list.filter((x): x is ImportProblem => typeof x === 'object' && x !== null && 'index' in x)
    : [];
}

function toFormError(e: unknown): FormError {
  const perFeature = importErrors(e);
  return {
    detail: e instanceof Error && e.message ? e.message : t('form.failed'),
    problems: perFeature.flatMap((f) =>
      f.problems.map((p) => ({ path: `#${f.index} ${p.path}`, message: p.message })),
    ),
  };
}

/**
 * Import of a GeoJSON file: parsed in the browser, checked by the server without writing (dry
 * run), previewed as a table and on the map, then imported; the result lists what was refused.
 */
export function ImportPanel({
  me,
  onPreview,
  onClose,
}: {
  me: Me;
  onPreview(features: PreviewFeature[]): void;
  onClose(): void;
}) {
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [parsed, setParsed] = useState<ParsedImport | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const [marking, setMarking] = useState<MarkingDraft>(() => defaultMarkingDraft(me));
  const [check, setCheck] = useState<Check>({ status: 'idle' });
  const [importing, setImporting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const rows: ImportRowInfo[] = useMemo(() => (parsed ? parsed.features.map(rowInfo) : []), [parsed]);
  const errorsByIndex = useMemo(() => {
    const m = new Map<number, ImportProblem>();
    if (check.status === 'done') for (const e of check.answer.errors) m.set(e.index, e);
    return m;
  }, [check]);

  useEffect(() => {
    fileRef.current?.focus();
  }, []);

  // The server's dry run decides what is valid, with the same rules as the import itself.
  useEffect(() => {
    if (!parsed || outcome) return;
    let cancelled = false;
    setCheck({ status: 'checking' });
    const timer = setTimeout(() => {
      zonesWrite
        .import(
          { type: 'FeatureCollection', features: parsed.features, marking: markingFromDraft(marking) },
          true,
        )
        .then(
          (answer) => {
            if (!cancelled) setCheck({ status: 'done', answer });
          },
          (e: unknown) => {
            if (!cancelled) setCheck({ status: 'failed', error: toFormError(e) });
          },
        );
    }, CHECK_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [parsed, marking, outcome]);

  useEffect(() => {
    if (check.status !== 'done' || outcome) {
      onPreview([]);
      return;
    }
    onPreview(
      rows
        .filter((r) => !errorsByIndex.has(r.index))
        .map((r) => ({ geometry: r.geometry as Geometry, kind: r.kind ?? '', name: r.name ?? '' })),
    );
  }, [check, rows, errorsByIndex, outcome, onPreview]);

  useEffect(() => () => onPreview([]), [onPreview]);

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setOutcome(null);
    setCheck({ status: 'idle' });
    setParsed(null);
    setParseError(null);
    if (!file) return;
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      setParseError(
        t('import.unreadable', { file: file.name, detail: err instanceof Error ? err.message : '' }),
      );
      return;
    }
    const result = parseImportText(file.name, text);
    if ('error' in result) setParseError(result.error);
    else setParsed(result);
  }

  async function runImport() {
    if (!parsed || importing) return;
    setImporting(true);
    try {
      const answer = await zonesWrite.import(
        { type: 'FeatureCollection', features: parsed.features, marking: markingFromDraft(marking) },
        false,
      );
      setOutcome({ status: 'done', created: answer.created.length, errors: answer.errors });
    } catch (e) {
      setOutcome({ status: 'failed', error: toFormError(e) });
    } finally {
      setImporting(false);
    }
  }

  const valid = check.status === 'done' ? check.answer.valid : 0;
  const withMarking = rows.filter((r) => r.hasMarking).length;

  return (
    <section
      className="panel editor-panel import-panel"
      aria-labelledby={`${id}-t`}
      data-testid="import-panel"
    >
      <header className="details__header">
        <h2 className="panel__title" id={`${id}-t`}>
          {t('import.title')}
        </h2>
        <CloseButton label={t('import.close')} onClose={onClose} />
      </header>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-file`}>
          {t('import.file')}
        </label>
        <input
          id={`${id}-file`}
          ref={fileRef}
          type="file"
          className="file-input"
          accept=".geojson,.json,application/geo+json,application/json"
          data-testid="import-file"
          onChange={onFile}
        />
        <span className="field__hint">{t('import.fileHint')}</span>
      </div>
      {parseError && (
        <p className="form-error" role="alert" data-testid="import-parse-error">
          {parseError}
        </p>
      )}
      {parsed && !outcome && (
        <>
          {/* Folded by default so that the preview is in view; the chosen marking stays on the summary. */}
          <details className="collapsible" data-testid="import-marking">
            <summary>
              {t('import.markingLegend')}
              <MarkingBadge text={formatMarking(markingFromDraft(marking))} />
              <span className="collapsible__change">{t('import.markingChange')}</span>
            </summary>
            <div className="collapsible__body">
              <p className="field__hint">
                {t('import.markingCount', { own: withMarking, total: rows.length })}
              </p>
              <MarkingEditor
                me={me}
                legend={t('import.markingEditLegend')}
                value={marking}
                onChange={setMarking}
              />
            </div>
          </details>
          <div
            className="import-preview"
            data-testid="import-preview"
            aria-busy={check.status === 'checking'}
          >
            <h3 className="details__subtitle">
              {t('import.preview', { file: parsed.fileName })}{' '}
              <span className="muted" aria-live="polite">
                {check.status === 'checking'
                  ? t('import.checking')
                  : check.status === 'done'
                    ? t('import.summary', { valid, invalid: check.answer.errors.length })
                    : ''}
              </span>
            </h3>
            {check.status === 'failed' && <FormErrors error={check.error} testId="import-check-error" />}
            <div className="table-scroll">
              <table className="import-table">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{t('import.colName')}</th>
                    <th scope="col">{t('import.colKind')}</th>
                    <th scope="col">{t('import.colStatus')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, MAX_ROWS).map((r) => {
                    const err = errorsByIndex.get(r.index);
                    const status = check.status !== 'done' ? 'pending' : err ? 'error' : 'ok';
                    return (
                      <tr key={r.index} data-testid={`import-row-${r.index}`} data-status={status}>
                        <td className="num">{r.index}</td>
                        <td>{r.name ?? t('details.none')}</td>
                        <td>
                          {r.kind ? (isZoneKind(r.kind) ? kindLabel(r.kind) : r.kind) : t('details.none')}
                        </td>
                        <td>
                          {status === 'pending' && <span className="muted">{t('import.pending')}</span>}
                          {status === 'ok' && <span className="status status--ok">{t('import.ok')}</span>}
                          {err && (
                            <>
                              <span className="status status--error">{t('import.error')}</span>
                              <ul className="import-table__reasons">
                                {err.problems.map((p) => (
                                  <li key={`${p.path}:${p.message}`}>
                                    <code>{p.path}</code> {p.message}
                                  </li>
                                ))}
                              </ul>
                            </>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {rows.length > MAX_ROWS && (
              <p className="field__hint">{t('import.moreRows', { shown: MAX_ROWS, total: rows.length })}</p>
            )}
          </div>
          <div className="form__actions">
            <button
              type="button"
              className="button button--primary"
              data-testid="import-confirm"
              disabled={check.status !== 'done' || valid === 0 || importing}
              onClick={() => void runImport()}
            >
              {importing
                ? t('import.importing')
                : valid === 1
                  ? t('import.confirmOne')
                  : t('import.confirm', { count: valid })}
            </button>
            <button type="button" className="button button--secondary" onClick={onClose} disabled={importing}>
              {t('form.cancel')}
            </button>
          </div>
        </>
      )}
      {outcome && (
        <div className="import-result" data-testid="import-result" role="status">
          {outcome.status === 'done' ? (
            <>
              <p className="import-result__summary">
                {t('import.result', { created: outcome.created, rejected: outcome.errors.length })}
              </p>
              {outcome.errors.length > 0 && (
                <ul className="import-table__reasons">
                  {outcome.errors.map((e) => (
                    <li key={e.index}>
                      {t('import.rejectedRow', { index: e.index, name: e.name ?? t('details.none') })}{' '}
                      {e.problems.map((p) => `${p.path} ${p.message}`).join('; ')}
                    </li>
                  ))}
                </ul>
              )}
            </>
          ) : (
            <FormErrors error={outcome.error} testId="import-error" />
          )}
          <div className="form__actions">
            {outcome.status === 'failed' && (
              <button type="button" className="button button--secondary" onClick={() => setOutcome(null)}>
                {t('import.back')}
              </button>
            )}
            <button type="button" className="button button--secondary" onClick={onClose}>
              {t('import.done')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
