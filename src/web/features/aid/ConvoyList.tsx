import { MarkingBadge } from '../../app/MarkingBadge';
import { followLink, paths } from '../../app/router';
import { formatUtc, t } from '../../i18n/t';
import type { ConvoyFeature } from './aidApi';
import { fmt } from './labels';

const orgCode = (o: ConvoyFeature['properties']['organisation']) =>
  typeof o === 'string' ? o : (o?.code ?? '');

/** The convoys with their consignments, movement and last known position. */
export function ConvoyList({ convoys }: { convoys: readonly ConvoyFeature[] }) {
  return (
    <section className="aid-convoys" aria-labelledby="aid-convoys-title" data-testid="convoy-list">
      <h3 id="aid-convoys-title" className="aid-card__title aid-card__title--gap">
        {t('aid.convoys.title', { count: convoys.length })}
      </h3>
      {convoys.length === 0 ? (
        <p className="muted">{t('aid.convoys.empty')}</p>
      ) : (
        <ul className="aid-convoys__list">
          {convoys.map((f) => {
            const p = f.properties;
            return (
              <li key={f.id} className="panel aid-convoy" data-testid="convoy-row" data-name={p.name}>
                <div className="aid-crossing__head">
                  <strong>{p.name}</strong>
                  <MarkingBadge text={p.markingText} />
                </div>
                <p className="muted">
                  {orgCode(p.organisation)} ·{' '}
                  {t('aid.loadShort', { trucks: p.trucks, tonnes: fmt(p.tonnes, 1), pallets: p.pallets })}
                </p>
                {p.notification && (
                  <p>
                    {t('aid.convoys.movement')}: {p.notification.number} — {p.notification.title}
                  </p>
                )}
                <p>
                  {p.track && f.geometry
                    ? t('aid.convoys.position', {
                        callsign: p.track.callsign ?? p.trackUid ?? '',
                        lat: f.geometry.coordinates[1].toFixed(4),
                        lon: f.geometry.coordinates[0].toFixed(4),
                        at: formatUtc(p.track.observedAt),
                      })
                    : t('aid.convoys.noPosition')}
                </p>
                {p.consignments.length > 0 && (
                  <p className="aid-convoy__members">
                    {p.consignments.map((c) => (
                      <a key={c.id} href={paths.consignment(c.id)} onClick={followLink}>
                        {c.number}
                      </a>
                    ))}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
