import { useEffect, useId, useRef, useState } from 'react';
import type { Marking } from '../../../domain/marking';
import { api } from '../../app/api';
import { MarkingBadge } from '../../app/MarkingBadge';
import { navigate, paths } from '../../app/router';
import { t } from '../../i18n/t';
import { isoToLocal, localToIso } from '../incidents/filter';

const HOURS = [6, 12, 24, 48, 72, 168] as const;

interface ReportHead {
  number: string;
  marking: Marking;
  markingText: string;
  period?: { start: string; end: string; hours: number };
}

interface DailyReportPageProps {
  query: URLSearchParams;
  onMarkings(markings: readonly Marking[]): void;
}

/**
 * The daily report for a period (by default the server's: the 24 hours to the last cut-off), as
 * the server renders it, with its PDF and printing. The JSON gives the number and the marking.
 */
export function DailyReportPage({ query, onMarkings }: DailyReportPageProps) {
  const id = useId();
  const frameRef = useRef<HTMLIFrameElement>(null);
  const endIso = query.get('end') ?? '';
  const hours = query.get('hours') ?? '';
  const [end, setEnd] = useState(() => (endIso ? isoToLocal(endIso) : ''));
  const [length, setLength] = useState(hours || '24');
  const [head, setHead] = useState<ReportHead | null>(null);
  const [error, setError] = useState<string | null>(null);

  const params = new URLSearchParams();
  if (endIso) params.set('end', endIso);
  if (hours) params.set('hours', hours);
  const q = String(params);
  const suffix = q ? `?${q}` : '';

  useEffect(() => {
    let live = true;
    setHead(null);
    api.get<ReportHead>(`/reports/daily${q ? `?${q}` : ''}`).then(
      (r) => {
        if (!live) return;
        setHead(r);
        setError(null);
        // The period the server chose, in the picker, when none was asked for.
        if (r.period && !q) {
          setEnd(isoToLocal(r.period.end));
          setLength(String(r.period.hours));
        }
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [q]);

  useEffect(() => {
    onMarkings(head ? [head.marking] : []);
  }, [head, onMarkings]);

  return (
    <div className="page report-page" data-testid="report-page">
      <header className="page__header">
        <div>
          <h2 className="page__title">{t('report.title')}</h2>
          {head && (
            <p className="report-page__number" data-testid="report-number">
              {head.number} <MarkingBadge text={head.markingText} />
            </p>
          )}
        </div>
        <div className="page__actions">
          <a
            className="button button--secondary"
            href={`/api/v1/reports/daily.pdf${suffix}`}
            download
            data-testid="report-pdf"
          >
            {t('report.pdf')}
          </a>
          <button
            type="button"
            className="button button--secondary"
            data-testid="report-print"
            onClick={() => frameRef.current?.contentWindow?.print()}
          >
            {t('report.print')}
          </button>
        </div>
      </header>
      <form
        className="report-period"
        aria-label={t('report.period')}
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams();
          const iso = localToIso(end);
          if (iso) next.set('end', iso);
          next.set('hours', length);
          navigate(paths.dailyReport(next));
        }}
      >
        <div className="field">
          <label className="field__label" htmlFor={`${id}-end`}>
            {t('report.end')}
          </label>
          <input
            id={`${id}-end`}
            className="field__input"
            type="datetime-local"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-hours`}>
            {t('report.hours')}
          </label>
          <select
            id={`${id}-hours`}
            className="field__input"
            value={length}
            onChange={(e) => setLength(e.target.value)}
          >
            {HOURS.map((h) => (
              <option key={h} value={String(h)}>
                {t('report.hoursValue', { hours: h })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--primary">
          {t('report.show')}
        </button>
      </form>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <iframe
        ref={frameRef}
        key={q}
        className="report-frame"
        title={t('report.frame')}
        src={`/api/v1/reports/daily.html${suffix}`}
        data-testid="report-frame"
      />
    </div>
  );
}
