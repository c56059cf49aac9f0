import { useEffect, useState } from 'react';
import type { NotificationFeature } from '../../../domain/deconfliction';
import type { FacilityFeature } from '../../../domain/facilities';
import type { Marking } from '../../../domain/marking';
import { DetailRow } from '../../app/details';
import { MarkingBadge } from '../../app/MarkingBadge';
import { followLink, paths } from '../../app/router';
import { formatUtc, t } from '../../i18n/t';
import { formatLatLon } from '../../map/coords';
import '../../styles/notifications.css';
import { FACILITY_STATUS_COLOURS, facilityKindLabel, facilityStatusLabel } from './labels';
import { NotificationRow } from './NotificationRow';
import { notificationsApi } from './notificationsApi';

interface FacilityPageProps {
  id: string;
  /** The notifications on the map: those naming this facility are listed. */
  notifications: readonly NotificationFeature[];
  onMarkings(markings: readonly Marking[]): void;
}

/** One facility, opened from the map: what it is, its status, and the notifications naming it. */
export function FacilityPage({ id, notifications, onMarkings }: FacilityPageProps) {
  const [facility, setFacility] = useState<FacilityFeature | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    notificationsApi.facility(id).then(
      (f) => live && setFacility(f),
      (e: unknown) =>
        live && setError(t('facility.loadFailed', { detail: e instanceof Error ? e.message : String(e) })),
    );
    return () => {
      live = false;
    };
  }, [id]);

  const linked = notifications.filter((n) => n.properties.facilityId === id);
  useEffect(() => {
    onMarkings(facility ? [facility.properties.marking, ...linked.map((n) => n.properties.marking)] : []);
  }, [facility, linked, onMarkings]);

  const p = facility?.properties;
  return (
    <div className="page notification-page" data-testid="facility-page">
      <a className="back-link" href={paths.map} onClick={followLink}>
        ← {t('facility.back')}
      </a>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {!facility && !error && (
        <p className="muted" role="status">
          {t('facility.loading')}
        </p>
      )}
      {facility && p && (
        <>
          <header className="incident-header">
            <h2 className="page__title">{p.name}</h2>
            <div className="incident-header__tags">
              <span className="status-tag" style={{ background: FACILITY_STATUS_COLOURS[p.status] }}>
                {facilityStatusLabel(p.status)}
              </span>
              <MarkingBadge text={p.markingText} />
            </div>
          </header>
          <section className="section">
            <dl className="details__list">
              <DetailRow label={t('facility.kind')}>{facilityKindLabel(p.kind)}</DetailRow>
              <DetailRow label={t('facility.operator')}>{p.operator}</DetailRow>
              <DetailRow label={t('facility.position')}>
                {formatLatLon(facility.geometry.coordinates[0], facility.geometry.coordinates[1])}
              </DetailRow>
              {p.notes && <DetailRow label={t('facility.notes')}>{p.notes}</DetailRow>}
              <DetailRow label={t('facility.updated')}>{formatUtc(p.updatedAt)}</DetailRow>
            </dl>
          </section>
          <section className="section" aria-labelledby="facility-notifications-title">
            <h3 id="facility-notifications-title" className="section__title">
              {t('facility.notifications')}
            </h3>
            {linked.length === 0 ? (
              <p className="muted">{t('facility.notificationsNone')}</p>
            ) : (
              <ul className="incident-list">
                {linked.map((n) => (
                  <NotificationRow key={n.id} feature={n} />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
