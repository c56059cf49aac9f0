import { MarkingBadge } from '../../app/MarkingBadge';
import { formatUtc, t } from '../../i18n/t';
import type { VersionsState } from './useZoneVersions';

/** The versions of a zone, oldest first as the server lists them; the one in force is marked. */
export function VersionHistory({
  state,
  currentVersion,
}: {
  state: VersionsState;
  currentVersion: number | undefined;
}) {
  return (
    <section className="history" aria-labelledby="history-title" aria-busy={state.status === 'loading'}>
      <h3 id="history-title" className="details__subtitle">
        {t('history.title')}
      </h3>
      {state.status === 'loading' && <p className="muted">{t('history.loading')}</p>}
      {state.status === 'failed' && (
        <p className="error-text" role="alert">
          {t('history.failed', { detail: state.detail })}
        </p>
      )}
      {state.status === 'loaded' && state.versions.length === 0 && (
        <p className="muted">{t('history.empty')}</p>
      )}
      {state.status === 'loaded' && state.versions.length > 0 && (
        <ol className="history__list" data-testid="version-history">
          {state.versions.map((v) => {
            const p = v.properties;
            const current = p.version === currentVersion;
            return (
              <li
                key={p.version}
                className={current ? 'history__item history__item--current' : 'history__item'}
              >
                <div className="history__head">
                  <strong>{t('history.version', { version: p.version })}</strong>
                  {current && <span className="tag">{t('history.current')}</span>}
                </div>
                <div className="history__name">{p.name}</div>
                <div className="history__period">
                  {formatUtc(p.validFrom)} → {p.validTo ? formatUtc(p.validTo) : t('details.openEnded')}
                </div>
                <div className="history__meta">
                  {t('history.by', { name: p.createdBy })} ·{' '}
                  <time dateTime={p.createdAt}>{formatUtc(p.createdAt)}</time>
                </div>
                {p.description && <p className="history__description">{p.description}</p>}
                <MarkingBadge text={p.markingText} />
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
