import { useEffect, useState } from 'react';
import { AID_NOTICES_LAYER, CROSSINGS_LAYER } from '../../../domain/crossings';
import type { Marking } from '../../../domain/marking';
import { hasPermission } from '../../../domain/roles';
import type { Me } from '../../app/auth';
import { formatUtc, t } from '../../i18n/t';
import { AidHeader } from './AidPages';
import { aidApi, type Board, type BoardCrossing, type Notice } from './aidApi';
import { CrossingStatusForm } from './CrossingStatusForm';
import { CROSSING_COLOURS, crossingStatusLabel, fmt, Tag } from './labels';
import { NoticeList } from './NoticeList';
import { useAidLive } from './useAidLive';

const LIVE = [CROSSINGS_LAYER, AID_NOTICES_LAYER, 'consignments'];

/** Each crossing's status and today's throughput against target; coordinators change the status. */
export function CrossingsPage({ me, onMarkings }: { me: Me; onMarkings(m: readonly Marking[]): void }) {
  const revision = useAidLive(LIVE);
  const [board, setBoard] = useState<Board | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const canCoordinate = hasPermission(me.roles, 'aid:coordinate');

  // biome-ignore lint/correctness/useExhaustiveDependencies: revision and reload say when to fetch again.
  useEffect(() => {
    let live = true;
    Promise.all([aidApi.board(), aidApi.notices()]).then(
      ([b, n]) => {
        if (!live) return;
        setBoard(b);
        setNotices(n.notices);
        setError(null);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [revision, reload]);

  useEffect(
    () => onMarkings(board ? [board.marking, ...notices.map((n) => n.marking)] : []),
    [board, notices, onMarkings],
  );

  return (
    <section data-testid="aid-crossings">
      <AidHeader title={t('aid.crossings.title')} markingText={board?.markingText} />
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {board && (
        <p className="aid-kpi" data-testid="board-today">
          {t('aid.crossings.today', {
            day: board.day,
            trucks: fmt(board.today.trucks),
            target: fmt(board.today.targetTrucks),
            tonnes: fmt(board.today.tonnes, 1),
            pallets: fmt(board.today.pallets),
          })}
        </p>
      )}
      <NoticeList notices={notices} />
      <ul className="aid-board" aria-label={t('aid.crossings.title')}>
        {board?.crossings.map((c) => (
          <CrossingCard
            key={c.id}
            crossing={c}
            canCoordinate={canCoordinate}
            onChanged={() => setReload((r) => r + 1)}
          />
        ))}
      </ul>
    </section>
  );
}

function CrossingCard({
  crossing: c,
  canCoordinate,
  onChanged,
}: {
  crossing: BoardCrossing;
  canCoordinate: boolean;
  onChanged(): void;
}) {
  const [editing, setEditing] = useState(false);
  const share = c.today.targetTrucks ? Math.min(100, (100 * c.today.trucks) / c.today.targetTrucks) : 0;
  const last7Max = Math.max(1, ...c.last7Days.map((d) => Math.max(d.trucks, d.targetTrucks)));
  return (
    <li className="panel aid-crossing" data-testid="crossing-card" data-name={c.name} data-status={c.status}>
      <div className="aid-crossing__head">
        <h3 className="aid-crossing__name">{c.name}</h3>
        <Tag
          colour={CROSSING_COLOURS[c.status]}
          text={crossingStatusLabel(c.status)}
          testId="crossing-status"
          value={c.status}
        />
      </div>
      {c.reason && (
        <p className="aid-crossing__reason" data-testid="crossing-reason">
          {c.reason}
        </p>
      )}
      <dl className="aid-facts">
        <dt>{t('aid.crossings.hours')}</dt>
        <dd>{c.opensAt && c.closesAt ? `${c.opensAt}–${c.closesAt}` : t('aid.none')}</dd>
        {c.until && (
          <>
            <dt>{t('aid.crossings.until')}</dt>
            <dd>{formatUtc(c.until)}</dd>
          </>
        )}
        <dt>{t('aid.crossings.todayTrucks')}</dt>
        <dd data-testid="crossing-today">
          {t('aid.crossings.ofTarget', { trucks: fmt(c.today.trucks), target: fmt(c.today.targetTrucks) })}
        </dd>
        <dt>{t('aid.crossings.todayLoad')}</dt>
        <dd>{t('aid.crossings.load', { tonnes: fmt(c.today.tonnes, 1), pallets: fmt(c.today.pallets) })}</dd>
        <dt>{t('aid.crossings.queued')}</dt>
        <dd>
          {t('aid.crossings.queuedN', { consignments: c.queued.consignments, trucks: c.queued.trucks })}
        </dd>
      </dl>
      <div
        className="aid-progress"
        role="img"
        aria-label={t('aid.crossings.shareOfTarget', { percent: Math.round(share) })}
      >
        <span className="aid-progress__bar" style={{ width: `${share}%` }} />
      </div>
      <div
        className="aid-spark"
        role="img"
        aria-label={t('aid.crossings.last7', {
          list: c.last7Days.map((d) => `${d.day.slice(5)} ${d.trucks}`).join(', '),
        })}
      >
        {c.last7Days.map((d) => (
          <span key={d.day} className="aid-spark__col" title={`${d.day}: ${d.trucks} / ${d.targetTrucks}`}>
            <span className="aid-spark__bar" style={{ height: `${(100 * d.trucks) / last7Max}%` }} />
          </span>
        ))}
      </div>
      <p className="muted aid-spark__caption">{t('aid.crossings.last7Caption')}</p>
      {canCoordinate &&
        (editing ? (
          <CrossingStatusForm
            crossing={c}
            onDone={(changed) => {
              setEditing(false);
              if (changed) onChanged();
            }}
            onStale={onChanged}
          />
        ) : (
          <button
            type="button"
            className="button button--secondary"
            data-testid="crossing-change"
            onClick={() => setEditing(true)}
          >
            {t('aid.crossings.change')}
          </button>
        ))}
    </li>
  );
}
