import { useEffect, useMemo, useState } from 'react';
import { CONSIGNMENTS_LAYER, CONVOYS_LAYER, type ConsignmentState } from '../../../domain/consignments';
import type { Marking } from '../../../domain/marking';
import { hasPermission } from '../../../domain/roles';
import type { Me } from '../../app/auth';
import { MarkingBadge } from '../../app/MarkingBadge';
import { followLink, navigate, paths } from '../../app/router';
import { formatUtc, t } from '../../i18n/t';
import { AidHeader } from './AidPages';
import {
  aidApi,
  type Consignment,
  type ConsignmentFilter,
  type ConvoyFeature,
  consignmentQuery,
  exportUrls,
} from './aidApi';
import { ConsignmentFilters } from './ConsignmentFilters';
import { ConvoyList } from './ConvoyList';
import { fmt, STATE_COLOURS, stateLabel, Tag } from './labels';
import { useAidLive } from './useAidLive';

const LIMIT = 500;
const LIVE = [CONSIGNMENTS_LAYER, CONVOYS_LAYER];

export function filterFromQuery(q: URLSearchParams): ConsignmentFilter {
  return {
    states: (q.get('state') ?? '').split(',').filter(Boolean) as ConsignmentState[],
    crossing: q.get('crossing') ?? '',
    organisation: q.get('organisation') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
  };
}

/** Consignments with filters (kept in the URL), exports, the register button, and the convoys. */
export function ConsignmentsPage({
  me,
  query,
  onMarkings,
}: {
  me: Me;
  query: URLSearchParams;
  onMarkings(m: readonly Marking[]): void;
}) {
  const filter = useMemo(() => filterFromQuery(query), [query]);
  const key = consignmentQuery(filter);
  const revision = useAidLive(LIVE);
  const [list, setList] = useState<Consignment[] | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [convoys, setConvoys] = useState<ConvoyFeature[]>([]);
  const [markings, setMarkings] = useState<Marking[]>([]);
  const [markingText, setMarkingText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the key and revision say when to fetch again.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      Promise.all([aidApi.consignments(filter, LIMIT), aidApi.convoys()]).then(
        ([c, v]) => {
          if (!live) return;
          setList(c.consignments);
          setTruncated(c.truncated);
          setConvoys(v.features);
          setMarkings([c.marking, v.marking]);
          setMarkingText(c.markingText ?? null);
          setError(null);
        },
        (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, revision]);

  useEffect(() => onMarkings(markings), [markings, onMarkings]);

  const canRegister = hasPermission(me.roles, 'aid:notify');
  return (
    <section data-testid="aid-consignments">
      <AidHeader title={t('aid.consignments.title')} markingText={markingText}>
        <fieldset className="export-links">
          <legend className="export-links__label">{t('aid.export')}</legend>
          <a
            className="button button--secondary"
            href={exportUrls.consignmentsCsv}
            download
            data-testid="export-consignments-csv"
          >
            {t('aid.exportHxl')}
          </a>
          <a
            className="button button--secondary"
            href={exportUrls.consignmentsGeojson}
            download
            data-testid="export-consignments-geojson"
          >
            {t('aid.exportGeojson')}
          </a>
        </fieldset>
        {canRegister && (
          <a
            className="button button--primary"
            href={paths.aid('consignment-new')}
            onClick={followLink}
            data-testid="consignment-register"
          >
            {t('aid.consignments.register')}
          </a>
        )}
      </AidHeader>
      <ConsignmentFilters
        value={filter}
        onChange={(f) => navigate(paths.aid('consignments', consignmentQuery(f)), { replace: true })}
      />
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {list === null && !error && (
        <p className="muted" role="status">
          {t('app.loading')}
        </p>
      )}
      {list && (
        <>
          <p className="muted" aria-live="polite" data-testid="consignment-count">
            {t('aid.consignments.count', { count: list.length })}
          </p>
          {truncated && <p className="notice">{t('aid.consignments.truncated', { count: LIMIT })}</p>}
          <ConsignmentTable list={list} />
        </>
      )}
      <ConvoyList convoys={convoys} />
    </section>
  );
}

function ConsignmentTable({ list }: { list: readonly Consignment[] }) {
  if (list.length === 0) return <p className="muted">{t('aid.consignments.empty')}</p>;
  return (
    <div className="aid-table-wrap">
      <table className="aid-table" aria-label={t('aid.consignments.title')}>
        <thead>
          <tr>
            <th scope="col">{t('aid.col.number')}</th>
            <th scope="col">{t('aid.col.state')}</th>
            <th scope="col">{t('aid.col.organisation')}</th>
            <th scope="col">{t('aid.col.crossing')}</th>
            <th scope="col">{t('aid.col.load')}</th>
            <th scope="col">{t('aid.col.registered')}</th>
            <th scope="col">{t('aid.col.marking')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id} data-testid="consignment-row" data-number={c.number} data-state={c.state}>
              <td>
                <a href={paths.consignment(c.id)} onClick={followLink} className="aid-strong">
                  {c.number}
                </a>
                {c.reference && <div className="muted">{c.reference}</div>}
              </td>
              <td>
                <Tag colour={STATE_COLOURS[c.state]} text={stateLabel(c.state)} />
              </td>
              <td title={c.requestingOrganisation.name}>{c.requestingOrganisation.code}</td>
              <td>{c.crossing.name}</td>
              <td>
                {t('aid.loadShort', { trucks: c.trucks, tonnes: fmt(c.tonnes, 1), pallets: c.pallets })}
              </td>
              <td>{formatUtc(c.createdAt)}</td>
              <td>
                <MarkingBadge text={c.markingText} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
