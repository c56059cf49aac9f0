import { MarkingBadge } from '../../app/MarkingBadge';
import { followLink, paths } from '../../app/router';
import { formatUtc, t } from '../../i18n/t';
import type { Notice } from './aidApi';
import { CROSSING_COLOURS, crossingStatusLabel, Tag } from './labels';

/** What the viewer's organisation was told about closures affecting its consignments. */
export function NoticeList({ notices }: { notices: readonly Notice[] }) {
  if (notices.length === 0) return null;
  return (
    <section className="panel aid-notices" aria-labelledby="aid-notices-title" data-testid="aid-notices">
      <h3 id="aid-notices-title" className="aid-card__title">
        {t('aid.notices.title', { count: notices.length })}
      </h3>
      <ul className="aid-notices__list">
        {notices.map((n) => (
          <li
            key={n.id}
            className="aid-notice"
            data-testid="aid-notice"
            data-consignment={n.consignment.number}
          >
            <Tag colour={CROSSING_COLOURS[n.status]} text={crossingStatusLabel(n.status)} />
            <span className="aid-notice__text">
              <a href={paths.consignment(n.consignment.id)} onClick={followLink}>
                {t('aid.consignment.number', { number: n.consignment.number })}
              </a>
              : {n.summary}
            </span>
            <span className="muted">{formatUtc(n.at)}</span>
            <MarkingBadge text={n.markingText} />
          </li>
        ))}
      </ul>
    </section>
  );
}
