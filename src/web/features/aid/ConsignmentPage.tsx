import { type FormEvent, useEffect, useId, useState } from 'react';
import { type ConsignmentState, STATES_NEEDING_REASON } from '../../../domain/consignments';
import type { Marking } from '../../../domain/marking';
import { ApiError } from '../../app/api';
import { MarkingBadge } from '../../app/MarkingBadge';
import { followLink, paths } from '../../app/router';
import { formatUtc, t } from '../../i18n/t';
import { aidApi, type ConsignmentDetail } from './aidApi';
import { categoryLabel, fmt, STATE_COLOURS, stateLabel, Tag } from './labels';

/** One consignment: its load, items, history, and the moves this viewer may make. */
export function ConsignmentPage({ id, onMarkings }: { id: string; onMarkings(m: readonly Marking[]): void }) {
  const [c, setC] = useState<ConsignmentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload says when to fetch again.
  useEffect(() => {
    let live = true;
    aidApi.consignment(id).then(
      (d) => {
        if (!live) return;
        setC(d);
        setError(null);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [id, reload]);
  useEffect(() => onMarkings(c ? [c.marking] : []), [c, onMarkings]);

  if (error && !c)
    return (
      <p className="error-text" role="alert" data-testid="consignment-error">
        {error}
      </p>
    );
  if (!c)
    return (
      <p className="muted" role="status">
        {t('app.loading')}
      </p>
    );
  return (
    <section data-testid="consignment-page" data-state={c.state} data-number={c.number}>
      <header className="page__header">
        <div className="aid-head">
          <a href={paths.aid('consignments')} onClick={followLink} className="aid-back">
            {t('aid.consignments.back')}
          </a>
          <h2 className="page__title" data-testid="consignment-number">
            {t('aid.consignment.number', { number: c.number })}{' '}
            {c.reference && <span className="muted">· {c.reference}</span>}
          </h2>
          <span className="aid-head__tags">
            <Tag
              colour={STATE_COLOURS[c.state]}
              text={stateLabel(c.state)}
              testId="consignment-state"
              value={c.state}
            />
            <MarkingBadge text={c.markingText} />
          </span>
        </div>
      </header>
      {c.stateReason && <p className="notice">{c.stateReason}</p>}
      <div className="aid-grid">
        <section className="panel aid-card">
          <dl className="aid-facts">
            <dt>{t('aid.col.organisation')}</dt>
            <dd>
              {c.requestingOrganisation.name} ({c.requestingOrganisation.code})
            </dd>
            <dt>{t('aid.col.crossing')}</dt>
            <dd>{c.crossing.name}</dd>
            {c.donor && (
              <>
                <dt>{t('aid.form.donor')}</dt>
                <dd>{c.donor}</dd>
              </>
            )}
            {c.corridor && (
              <>
                <dt>{t('aid.form.corridor')}</dt>
                <dd>{c.corridor}</dd>
              </>
            )}
            <dt>{t('aid.col.load')}</dt>
            <dd>{t('aid.loadShort', { trucks: c.trucks, tonnes: fmt(c.tonnes, 1), pallets: c.pallets })}</dd>
            <dt>{t('aid.col.registered')}</dt>
            <dd>{formatUtc(c.createdAt)}</dd>
          </dl>
          <MoveForm consignment={c} onMoved={setC} onStale={() => setReload((r) => r + 1)} />
        </section>
        <section className="panel aid-card" aria-labelledby="c-items">
          <h3 id="c-items" className="aid-card__title">
            {t('aid.items.title')}
          </h3>
          <table className="aid-table">
            <thead>
              <tr>
                <th scope="col">{t('aid.items.category')}</th>
                <th scope="col">{t('aid.items.description')}</th>
                <th scope="col">{t('aid.items.quantity')}</th>
              </tr>
            </thead>
            <tbody>
              {c.items.map((it, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: items have no id; their order is fixed.
                <tr key={i}>
                  <td>{categoryLabel(it.category)}</td>
                  <td>
                    {it.description}
                    {it.dualUse && <span className="aid-dual"> {t('aid.items.dualUse')}</span>}
                  </td>
                  <td>
                    {fmt(it.quantity, 2)} {it.unit}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel aid-card aid-card--wide" aria-labelledby="c-history">
          <h3 id="c-history" className="aid-card__title">
            {t('aid.history.title')}
          </h3>
          <ol className="aid-history" data-testid="consignment-history">
            {[...c.history].reverse().map((h) => (
              <li key={h.version}>
                <span className="muted">{formatUtc(h.at)}</span> <strong>{stateLabel(h.to)}</strong>
                {h.actor && <span className="muted"> — {h.actor}</span>}
                {h.reason && <div>{h.reason}</div>}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </section>
  );
}

function MoveForm({
  consignment: c,
  onMoved,
  onStale,
}: {
  consignment: ConsignmentDetail;
  onMoved(d: ConsignmentDetail): void;
  onStale(): void;
}) {
  const id = useId();
  const [to, setTo] = useState<ConsignmentState | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (c.allowedNext.length === 0) return <p className="muted">{t('aid.moves.none')}</p>;

  const move = async (target: ConsignmentState, why?: string) => {
    setBusy(true);
    setError(null);
    try {
      onMoved(await aidApi.move(c.id, { to: target, version: c.version, ...(why ? { reason: why } : {}) }));
      setTo(null);
      setReason('');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setError(t('aid.moves.stale'));
        onStale();
      } else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const pick = (s: ConsignmentState) => {
    if (STATES_NEEDING_REASON.includes(s)) setTo(s);
    else void move(s);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (to && reason.trim()) void move(to, reason.trim());
  };
  return (
    <div className="aid-moves">
      <h3 className="aid-card__title aid-card__title--gap">{t('aid.moves.title')}</h3>
      <div className="aid-moves__buttons">
        {c.allowedNext.map((s) => (
          <button
            key={s}
            type="button"
            className={
              STATES_NEEDING_REASON.includes(s) ? 'button button--danger-outline' : 'button button--primary'
            }
            disabled={busy}
            data-testid={`consignment-move-${s}`}
            onClick={() => pick(s)}
          >
            {t('aid.moves.to', { state: stateLabel(s) })}
          </button>
        ))}
      </div>
      {to && (
        <form onSubmit={submit} className="aid-form" data-testid="move-reason-form">
          <label className="field" htmlFor={`${id}-reason`}>
            <span className="field__label">{t('aid.moves.reasonFor', { state: stateLabel(to) })}</span>
            <textarea
              id={`${id}-reason`}
              className="field__input field__textarea"
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={busy || !reason.trim()}>
              {t('aid.moves.confirm')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setTo(null)}>
              {t('aid.cancel')}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
