import { type Dispatch, type SetStateAction, useId, useMemo } from 'react';
import type { FacilityFeature } from '../../../domain/facilities';
import type { ZoneFeature } from '../../../domain/zones';
import { draftControls, fieldFor } from '../../app/formField';
import { t } from '../../i18n/t';
import { LocationPicker } from '../../map/LocationPicker';
import { RoutePicker } from '../../map/RoutePicker';
import type { NotificationDraft } from './notificationDraft';

interface PlaceFieldsProps {
  draft: NotificationDraft;
  setDraft: Dispatch<SetStateAction<NotificationDraft>>;
  zones: readonly ZoneFeature[];
  facilities: readonly FacilityFeature[];
}

/** Where: a site placed on the map (or typed, or a facility's), or a route clicked point by point. */
export function PlaceFields({ draft, setDraft, zones, facilities }: PlaceFieldsProps) {
  const id = useId();
  const set = <K extends keyof NotificationDraft>(k: K, v: NotificationDraft[K]) =>
    setDraft((d) => ({ ...d, [k]: v }));
  const sorted = useMemo(
    () => [...facilities].sort((a, b) => a.properties.name.localeCompare(b.properties.name)),
    [facilities],
  );
  const field = fieldFor(id);
  const { input } = draftControls(id, draft, set);
  const pickFacility = (facilityId: string) => {
    const f = facilities.find((x) => x.id === facilityId);
    const [lon, lat] = f?.geometry.coordinates ?? [];
    setDraft((d) => ({
      ...d,
      facilityId,
      ...(f && lon !== undefined && lat !== undefined
        ? { lon: String(lon), lat: String(lat), title: d.title || f.properties.name }
        : {}),
    }));
  };
  const movement = draft.kind === 'movement';
  return (
    <fieldset className="report-form__group">
      <legend className="form__legend">{t('notifications.form.where')}</legend>
      <p className="field__hint" id={`${id}-where-hint`}>
        {movement ? t('notifications.form.routeHint') : t('notifications.form.siteHint')}
      </p>
      {movement ? (
        <>
          <RoutePicker
            points={draft.route}
            zones={zones}
            label={t('notifications.form.mapLabel')}
            onAdd={(lon, lat) => setDraft((d) => ({ ...d, route: [...d.route, [lon, lat]] }))}
          />
          <div className="route-tools">
            <span className="muted" aria-live="polite" data-testid="route-count">
              {t('notifications.form.routePoints', { count: draft.route.length })}
            </span>
            <button
              type="button"
              className="button button--secondary"
              disabled={draft.route.length === 0}
              onClick={() => setDraft((d) => ({ ...d, route: d.route.slice(0, -1) }))}
            >
              {t('notifications.form.undoPoint')}
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={draft.route.length === 0}
              onClick={() => set('route', [])}
            >
              {t('notifications.form.clearRoute')}
            </button>
          </div>
        </>
      ) : (
        <>
          <LocationPicker
            value={
              draft.lon &&
              draft.lat &&
              Number.isFinite(Number(draft.lon)) &&
              Number.isFinite(Number(draft.lat))
                ? [Number(draft.lon), Number(draft.lat)]
                : null
            }
            zones={zones}
            label={t('notifications.form.mapLabel')}
            onPick={(lon, lat) => setDraft((d) => ({ ...d, lon: String(lon), lat: String(lat) }))}
          />
          <div className="report-form__grid">
            {field('lat', t('notifications.form.lat'), input('lat', 'lat', { inputMode: 'decimal' }))}
            {field('lon', t('notifications.form.lon'), input('lon', 'lon', { inputMode: 'decimal' }))}
            {field(
              'facility',
              t('notifications.form.facility'),
              <select
                id={`${id}-facility`}
                className="field__input"
                value={draft.facilityId}
                onChange={(e) => pickFacility(e.target.value)}
              >
                <option value="">{t('notifications.form.noFacility')}</option>
                {sorted.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.properties.name}
                  </option>
                ))}
              </select>,
            )}
          </div>
        </>
      )}
    </fieldset>
  );
}
