import { useEffect, useMemo, useState } from 'react';
import { INCIDENT_STATUSES, type IncidentStatus } from '../../../domain/incident-workflow';
import type { IncidentFeature } from '../../../domain/incidents';
import type { Marking } from '../../../domain/marking';
import { hasPermission } from '../../../domain/roles';
import type { Me } from '../../app/auth';
import { followLink, navigate, paths } from '../../app/router';
import { t } from '../../i18n/t';
import { filterFromQuery, filterToPageQuery, type IncidentFilter } from './filter';
import { IncidentFilters } from './IncidentFilters';
import { IncidentList } from './IncidentList';
import { exportUrl, type IncidentCounts, incidentsApi } from './incidentsApi';
import { STATUS_COLOURS, statusLabel } from './labels';

/** Typing in the search box fetches once the typing pauses. */
const FETCH_DEBOUNCE_MS = 250;
const LIMIT = 500;

interface IncidentsPageProps {
  me: Me;
  query: URLSearchParams;
  /** Bumped on every live change of an incident: the list is fetched again. */
  revision: number;
  onMarkings(markings: readonly Marking[]): void;
}

const newestFirst = (a: IncidentFeature, b: IncidentFeature) =>
  b.properties.observedAt.localeCompare(a.properties.observedAt) ||
  b.properties.number.localeCompare(a.properties.number);

/** The incidents with filters (kept in the URL), counts by status, exports and the report button. */
export function IncidentsPage({ me, query, revision, onMarkings }: IncidentsPageProps) {
  const filter = useMemo(() => filterFromQuery(query), [query]);
  const [list, setList] = useState<IncidentFeature[] | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [counts, setCounts] = useState<IncidentCounts | null>(null);
  const [error, setError] = useState<string | null>(null);
  // On narrow screens the filters fold away under a button; on wide ones they are always shown.
  const [filtersOpen, setFiltersOpen] = useState(false);
  const active = [filter.from, filter.to, filter.governorate, filter.category, filter.party, filter.q].filter(
    Boolean,
  ).length;
  const key = String(filterToPageQuery(filter));

  const setFilter = (f: IncidentFilter) => navigate(paths.incidents(filterToPageQuery(f)), { replace: true });

  // biome-ignore lint/correctness/useExhaustiveDependencies: the key and revision say when to fetch again.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      // Counts by status ignore the status filter: the chips show what each status would add.
      Promise.all([incidentsApi.list(filter, LIMIT), incidentsApi.counts({ ...filter, statuses: [] })]).then(
        ([fc, c]) => {
          if (!live) return;
          setList([...fc.features].sort(newestFirst));
          setTruncated(fc.truncated === true);
          setCounts(c);
          setError(null);
        },
        (e: unknown) =>
          live && setError(t('incidents.loadFailed', { detail: e instanceof Error ? e.message : String(e) })),
      );
    }, FETCH_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, revision]);

  useEffect(() => {
    onMarkings(list ? list.map((f) => f.properties.marking) : []);
  }, [list, onMarkings]);

  const toggleStatus = (s: IncidentStatus) => {
    const on = filter.statuses.includes(s);
    setFilter({ ...filter, statuses: on ? filter.statuses.filter((x) => x !== s) : [...filter.statuses, s] });
  };

  const canReport = hasPermission(me.roles, 'incidents:report');
  return (
    <div className="page incidents-page" data-testid="incidents-page">
      <header className="page__header">
        <h2 className="page__title">{t('incidents.title')}</h2>
        <div className="page__actions">
          <fieldset className="export-links">
            <legend className="export-links__label">{t('incidents.export')}</legend>
            <a
              className="button button--secondary"
              href={exportUrl('acled', filter)}
              download
              data-testid="export-acled"
            >
              {t('incidents.exportAcled')}
            </a>
            <a
              className="button button--secondary"
              href={exportUrl('hxl', filter)}
              download
              data-testid="export-hxl"
            >
              {t('incidents.exportHxl')}
            </a>
            <a
              className="button button--secondary"
              href={exportUrl('geojson', filter)}
              download
              data-testid="export-geojson"
            >
              {t('incidents.exportGeojson')}
            </a>
          </fieldset>
          {canReport && (
            <a
              className="button button--primary"
              href={paths.newIncident}
              onClick={followLink}
              data-testid="incident-report"
            >
              {t('incidents.report')}
            </a>
          )}
        </div>
      </header>
      <div className="incidents-page__body">
        <button
          type="button"
          className="button button--secondary incidents-page__filters-toggle"
          aria-expanded={filtersOpen}
          aria-controls="incident-filters"
          onClick={() => setFiltersOpen((o) => !o)}
        >
          {active ? t('incidents.filtersActive', { count: active }) : t('incidents.filters')}
        </button>
        <aside className="incidents-page__filters panel" id="incident-filters" data-open={filtersOpen}>
          <IncidentFilters value={filter} onChange={setFilter} />
        </aside>
        <section className="incidents-page__results" aria-labelledby="incident-results-title">
          <h3 id="incident-results-title" className="visually-hidden">
            {t('incidents.title')}
          </h3>
          <fieldset className="status-chips">
            <legend className="visually-hidden">{t('incidents.countsLabel')}</legend>
            {INCIDENT_STATUSES.map((s) => (
              <button
                key={s}
                type="button"
                className="status-chip"
                aria-pressed={filter.statuses.includes(s)}
                data-testid={`incident-count-${s}`}
                onClick={() => toggleStatus(s)}
              >
                <span
                  className="status-chip__dot"
                  style={{ background: STATUS_COLOURS[s] }}
                  aria-hidden="true"
                />
                <span>{statusLabel(s)}</span>
                <span className="status-chip__count">{counts?.byStatus[s] ?? 0}</span>
              </button>
            ))}
          </fieldset>
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
          {list === null && !error ? (
            <p className="muted" role="status">
              {t('incidents.loading')}
            </p>
          ) : (
            <>
              <p className="incidents-page__count" aria-live="polite" data-testid="incident-count">
                {t('incidents.count', { shown: list?.length ?? 0, total: counts?.total ?? 0 })}
              </p>
              {truncated && <p className="notice">{t('incidents.truncated', { count: LIMIT })}</p>}
              <IncidentList incidents={list ?? []} />
            </>
          )}
        </section>
      </div>
    </div>
  );
}
