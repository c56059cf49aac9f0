import { useEffect, useId, useState } from 'react';
import { CONSIGNMENTS_LAYER } from '../../../domain/consignments';
import { CROSSINGS_LAYER } from '../../../domain/crossings';
import { NOTIFICATIONS_LAYER } from '../../../domain/deconfliction';
import type { Marking } from '../../../domain/marking';
import { navigate, paths } from '../../app/router';
import { formatUtc, t } from '../../i18n/t';
import { AidHeader } from './AidPages';
import { aidApi, type Dashboard } from './aidApi';
import { Funnel, TonnesChart, TrucksChart } from './charts';
import { fmt } from './labels';
import { useAidLive } from './useAidLive';

const DAY_CHOICES = [7, 14, 30, 90] as const;
const LIVE = [CONSIGNMENTS_LAYER, CROSSINGS_LAYER, NOTIFICATIONS_LAYER];

/** The aid dashboard: throughput against target, tonnes by category, the pipeline, overdue answers. */
export function DashboardPage({
  query,
  onMarkings,
}: {
  query: URLSearchParams;
  onMarkings(m: readonly Marking[]): void;
}) {
  const id = useId();
  const days = Number(query.get('days')) || 14;
  const revision = useAidLive(LIVE);
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the revision says when to fetch again.
  useEffect(() => {
    let live = true;
    aidApi.dashboard(days).then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [days, revision]);

  useEffect(() => onMarkings(data ? [data.marking] : []), [data, onMarkings]);

  const total = data?.trucksPerDay.reduce((a, d) => a + d.trucks, 0) ?? 0;
  const target = data?.trucksPerDay.reduce((a, d) => a + d.targetTrucks, 0) ?? 0;
  return (
    <section data-testid="aid-dashboard" data-revision={revision}>
      <AidHeader title={t('aid.dash.title')} markingText={data?.markingText}>
        <label className="aid-inline-field" htmlFor={`${id}-days`}>
          {t('aid.dash.days')}
          <select
            id={`${id}-days`}
            className="field__input"
            value={days}
            data-testid="dashboard-days"
            onChange={(e) => navigate(paths.aid('dashboard', `days=${e.target.value}`), { replace: true })}
          >
            {DAY_CHOICES.map((d) => (
              <option key={d} value={d}>
                {t('aid.dash.daysN', { n: d })}
              </option>
            ))}
          </select>
        </label>
      </AidHeader>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {!data && !error && (
        <p className="muted" role="status">
          {t('app.loading')}
        </p>
      )}
      {data && (
        <div className="aid-grid">
          <section className="panel aid-card aid-card--wide" aria-labelledby={`${id}-trucks`}>
            <h3 id={`${id}-trucks`} className="aid-card__title">
              {t('aid.dash.trucks', { from: data.from.slice(0, 10), to: data.to.slice(0, 10) })}
            </h3>
            <p className="aid-kpi" data-testid="dashboard-trucks-total">
              {t('aid.dash.trucksTotal', { trucks: fmt(total), target: fmt(target) })}
            </p>
            <TrucksChart dashboard={data} />
          </section>
          <section className="panel aid-card" aria-labelledby={`${id}-funnel`}>
            <h3 id={`${id}-funnel`} className="aid-card__title">
              {t('aid.dash.funnel')}
            </h3>
            <Funnel steps={data.funnel} />
          </section>
          <section className="panel aid-card" aria-labelledby={`${id}-tonnes`}>
            <h3 id={`${id}-tonnes`} className="aid-card__title">
              {t('aid.dash.tonnes')}
            </h3>
            <TonnesChart rows={data.tonnesByCategory} />
            <h3 className="aid-card__title aid-card__title--gap">{t('aid.dash.overdue')}</h3>
            <p
              className={data.overdueAnswers.count ? 'aid-kpi aid-kpi--warn' : 'aid-kpi'}
              data-testid="dashboard-overdue"
              data-count={data.overdueAnswers.count}
            >
              {data.overdueAnswers.count
                ? t('aid.dash.overdueN', {
                    count: data.overdueAnswers.count,
                    since: formatUtc(data.overdueAnswers.oldestDueAt),
                  })
                : t('aid.dash.overdueNone')}
            </p>
          </section>
        </div>
      )}
    </section>
  );
}
