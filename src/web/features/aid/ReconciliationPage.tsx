import { useEffect, useId, useState } from 'react';
import type { Marking } from '../../../domain/marking';
import { hasPermission } from '../../../domain/roles';
import type { Me } from '../../app/auth';
import { MarkingBadge } from '../../app/MarkingBadge';
import { navigate, paths } from '../../app/router';
import { t } from '../../i18n/t';
import { AidHeader } from './AidPages';
import { aidApi, type ReconciledDay } from './aidApi';
import { useCrossingNames } from './ConsignmentFilters';
import { CountsForm } from './CountsForm';
import { CrossingField } from './CrossingField';
import { fmt, Tag, VERDICT_COLOURS, verdictLabel } from './labels';

const dayIso = (d: Date) => d.toISOString().slice(0, 10);

/** Per day and crossing: each source's figure, the verdict and why; coordinators enter figures. */
export function ReconciliationPage({
  me,
  query,
  onMarkings,
}: {
  me: Me;
  query: URLSearchParams;
  onMarkings(m: readonly Marking[]): void;
}) {
  const id = useId();
  const crossings = useCrossingNames();
  const to = query.get('to') ?? dayIso(new Date());
  const from = query.get('from') ?? dayIso(new Date(Date.now() - 6 * 86_400_000));
  const crossing = query.get('crossing') ?? '';
  const [days, setDays] = useState<ReconciledDay[] | null>(null);
  const [marking, setMarking] = useState<Marking | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const canEnter = hasPermission(me.roles, 'aid:coordinate') || hasPermission(me.roles, 'aid:notify');

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload says when to fetch again.
  useEffect(() => {
    let live = true;
    aidApi.reconciliation(from, to, crossing).then(
      (r) => {
        if (!live) return;
        setDays(r.days);
        setMarking(r.marking);
        setError(null);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [from, to, crossing, reload]);
  useEffect(() => onMarkings(marking ? [marking] : []), [marking, onMarkings]);

  const set = (k: string, v: string) => {
    const q = new URLSearchParams({ from, to });
    if (crossing) q.set('crossing', crossing);
    if (v) q.set(k, v);
    else q.delete(k);
    navigate(paths.aid('reconciliation', q), { replace: true });
  };

  return (
    <section data-testid="aid-reconciliation">
      <AidHeader title={t('aid.recon.title')} />
      <fieldset className="aid-filters panel">
        <legend className="visually-hidden">{t('aid.filters')}</legend>
        <label className="field" htmlFor={`${id}-from`}>
          <span className="field__label">{t('aid.recon.from')}</span>
          <input
            id={`${id}-from`}
            className="field__input"
            type="date"
            value={from}
            onChange={(e) => set('from', e.target.value)}
          />
        </label>
        <label className="field" htmlFor={`${id}-to`}>
          <span className="field__label">{t('aid.recon.to')}</span>
          <input
            id={`${id}-to`}
            className="field__input"
            type="date"
            value={to}
            onChange={(e) => set('to', e.target.value)}
          />
        </label>
        <CrossingField
          id={`${id}-crossing`}
          crossings={crossings}
          value={crossing}
          onChange={(c) => set('crossing', c)}
          any
        />
      </fieldset>
      {canEnter && crossings.length > 0 && (
        <CountsForm me={me} crossings={crossings} onSaved={() => setReload((r) => r + 1)} />
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {days && days.length === 0 && <p className="muted">{t('aid.recon.empty')}</p>}
      {days && days.length > 0 && (
        <div className="aid-table-wrap">
          <table className="aid-table aid-recon" data-testid="recon-table">
            <thead>
              <tr>
                <th scope="col">{t('aid.col.day')}</th>
                <th scope="col">{t('aid.col.crossing')}</th>
                <th scope="col">{t('aid.recon.verdict')}</th>
                <th scope="col">{t('aid.recon.figures')}</th>
                <th scope="col">{t('aid.recon.explanations')}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr
                  key={`${d.day}-${d.crossing.id}`}
                  data-testid="recon-row"
                  data-verdict={d.verdict}
                  data-day={d.day}
                  data-crossing={d.crossing.name}
                >
                  <td className="aid-nowrap" data-label={t('aid.col.day')}>
                    {d.day}
                  </td>
                  <td data-label={t('aid.col.crossing')}>{d.crossing.name}</td>
                  <td data-label={t('aid.recon.verdict')}>
                    <Tag colour={VERDICT_COLOURS[d.verdict]} text={verdictLabel(d.verdict)} />
                  </td>
                  <td data-label={t('aid.recon.figures')}>
                    <ul className="aid-figures">
                      {d.figures.map((f) => (
                        <li key={`${f.source}-${f.rule}-${f.scope}-${f.unit}`}>
                          <strong>{f.source}</strong>: {fmt(f.value, 1)} {t(`aid.unit.${f.unit}`)}{' '}
                          <span className="muted">
                            ({t(`aid.rule.${f.rule}`)}, {f.scope})
                          </span>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td data-label={t('aid.recon.explanations')}>
                    <div>
                      <ul className="aid-figures">
                        {d.pairs
                          .filter((p) => p.explanation)
                          .map((p) => (
                            <li key={`${p.a.source}-${p.b.source}-${p.a.unit}-${p.a.rule}-${p.b.rule}`}>
                              <span className="muted">
                                {p.a.source} / {p.b.source} ({verdictLabel(p.verdict)}):
                              </span>{' '}
                              {p.explanation}
                            </li>
                          ))}
                      </ul>
                      <MarkingBadge text={d.markingText} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
