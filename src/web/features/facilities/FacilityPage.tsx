import { useCallback, useEffect, useMemo, useState } from 'react';
import type { NotificationFeature } from '../../../domain/deconfliction';
import type { FacilityFeature } from '../../../domain/facilities';
import type { Marking } from '../../../domain/marking';
import type { ZoneFeature } from '../../../domain/zones';
import type { Me } from '../../app/auth';
import { DetailRow } from '../../app/details';
import { MarkingBadge } from '../../app/MarkingBadge';
import { PageNoticeLine } from '../../app/PageNoticeLine';
import { BackLink, RecordPending } from '../../app/RecordPending';
import { paths } from '../../app/router';
import { type RecordPageTexts, useRecordPage } from '../../app/useRecordPage';
import { formatUtc, t } from '../../i18n/t';
import { formatLatLon } from '../../map/coords';
import '../../styles/notifications.css';
import { FACILITY_STATUS_COLOURS, facilityKindLabel, facilityStatusLabel } from '../notifications/labels';
import { NotificationRow } from '../notifications/NotificationRow';
import { FacilityEditor } from './FacilityEditor';
import { type FacilityChanges, facilitiesApi } from './facilitiesApi';
import { mayEditFacility } from './facilityDraft';

interface FacilityPageProps {
  me: Me;
  id: string;
  zones: readonly ZoneFeature[];
  /** The version the live feed knows: a newer one than shown is fetched. */
  liveVersion: number | null;
  /** The notifications on the map: those naming this facility are listed. */
  notifications: readonly NotificationFeature[];
  onChanged(feature: FacilityFeature): void;
  onMarkings(markings: readonly Marking[]): void;
}

const TEXTS: RecordPageTexts = {
  loadFailed: (detail) => t('facility.loadFailed', { detail }),
  conflict: () => t('facility.conflict'),
  actionFailed: (detail) => t('facility.actionFailed', { detail }),
};

// The record page hook works on details that carry a feature; a facility is its feature.
const getFacility = (id: string) => facilitiesApi.get(id).then((feature) => ({ feature }));

/** One facility, opened from the map: what it is, its status, the notifications naming it, and Edit. */
export function FacilityPage({
  me,
  id,
  zones,
  liveVersion,
  notifications,
  onChanged,
  onMarkings,
}: FacilityPageProps) {
  const { detail, loadError, notice, send } = useRecordPage({
    id,
    get: getFacility,
    liveVersion,
    onChanged,
    texts: TEXTS,
  });
  // The facility as the form opened on it: the change is based on that version, not a later one.
  const [editing, setEditing] = useState<FacilityFeature | null>(null);
  const [draftMarking, setDraftMarking] = useState<Marking | null>(null);
  const facility = detail?.feature ?? null;

  const linked = useMemo(
    () => notifications.filter((n) => n.properties.facilityId === id),
    [notifications, id],
  );
  useEffect(() => {
    const shown = [
      ...linked.map((n) => n.properties.marking),
      ...(editing && draftMarking ? [draftMarking] : []),
    ];
    onMarkings(facility ? [facility.properties.marking, ...shown] : []);
  }, [facility, linked, editing, draftMarking, onMarkings]);

  // Saved or refused as a conflict (reloaded and said on the page), the form closes; any other
  // refusal is thrown to the form, which shows it beside the fields and stays open.
  const save = useCallback(
    async (version: number, changes: FacilityChanges) => {
      const change = () => facilitiesApi.update(id, version, changes).then((feature) => ({ feature }));
      await send(change, t('facility.saved'), { rethrow: true });
      setEditing(null);
    },
    [send, id],
  );

  if (!facility)
    return (
      <RecordPending
        className="notification-page"
        testId="facility-page"
        back={back()}
        loadError={loadError}
        notFound={t('facility.notFound', { id })}
        loading={t('facility.loading')}
      />
    );

  const p = facility.properties;
  const [lon, lat] = facility.geometry.coordinates;
  return (
    <div
      className="page notification-page"
      data-testid="facility-page"
      data-status={p.status}
      data-version={p.version}
    >
      <BackLink {...back()} />
      <header className="page__header">
        <div className="incident-header">
          <h2 className="page__title" data-testid="facility-name">
            {p.name}
          </h2>
          <div className="incident-header__tags">
            <span
              className="status-tag"
              style={{ background: FACILITY_STATUS_COLOURS[p.status] }}
              data-testid="facility-status"
            >
              {facilityStatusLabel(p.status)}
            </span>
            <MarkingBadge text={p.markingText} />
          </div>
        </div>
        {!editing && mayEditFacility(me, facility) && (
          <div className="page__actions">
            <button
              type="button"
              className="button button--primary"
              data-testid="facility-edit"
              onClick={() => setEditing(facility)}
            >
              {t('facility.edit')}
            </button>
          </div>
        )}
      </header>
      <PageNoticeLine notice={notice} testId="facility-notice" />
      <div className="incident-page__grid">
        <div className="incident-page__main">
          {editing ? (
            <FacilityEditor
              me={me}
              zones={zones}
              facility={editing}
              currentVersion={p.version}
              save={save}
              onCancel={() => setEditing(null)}
              onMarking={setDraftMarking}
            />
          ) : (
            <section className="section" aria-label={p.name}>
              <dl className="details__list">
                <DetailRow label={t('facility.kind')}>{facilityKindLabel(p.kind)}</DetailRow>
                <DetailRow label={t('facility.operator')}>{p.operator}</DetailRow>
                <DetailRow label={t('facility.position')}>{formatLatLon(lon, lat)}</DetailRow>
                {p.notes && <DetailRow label={t('facility.notes')}>{p.notes}</DetailRow>}
                <DetailRow label={t('facility.updated')}>{formatUtc(p.updatedAt)}</DetailRow>
                <DetailRow label={t('facility.version')}>{p.version}</DetailRow>
              </dl>
            </section>
          )}
        </div>
        <div className="incident-page__side">
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
        </div>
      </div>
    </div>
  );
}

const back = () => ({ href: paths.map, label: t('facility.back') });
