import { useEffect, useId } from 'react';
import {
  LEAD_TIME_HOURS,
  leadTimeWarning,
  NOTIFICATION_KINDS,
  type NotificationDetail,
  type NotificationPriority,
} from '../../../domain/deconfliction';
import type { FacilityFeature } from '../../../domain/facilities';
import type { Marking } from '../../../domain/marking';
import type { ZoneFeature } from '../../../domain/zones';
import type { Me } from '../../app/auth';
import { draftControls, fieldFor, RecordForm } from '../../app/formField';
import { followLink, navigate, paths } from '../../app/router';
import { useDraftForm } from '../../app/useDraftForm';
import { t } from '../../i18n/t';
import { localToIso } from '../incidents/filter';
import { partyLabel } from '../incidents/labels';
import { FormErrors } from '../zones/editing/FormErrors';
import { MarkingEditor } from '../zones/editing/MarkingEditor';
import { markingFromDraft } from '../zones/editing/markingDraft';
import { defaultNotificationDraft, notificationInput } from './notificationDraft';
import { notificationsApi } from './notificationsApi';
import { PlaceFields } from './PlaceFields';

const PRIORITIES = Object.keys(LEAD_TIME_HOURS) as NotificationPriority[];

interface NotificationFormProps {
  me: Me;
  zones: readonly ZoneFeature[];
  facilities: readonly FacilityFeature[];
  onMarkings(markings: readonly Marking[]): void;
  /** A notification was drafted (and submitted when asked). */
  onCreated(detail: NotificationDetail): void;
}

const PARTY_CHOICES = ['ISR', 'PSE'] as const;

/** Notifying a static site or a movement; it goes to the centre, which transmits it to the parties. */
export function NotificationForm({ me, zones, facilities, onMarkings, onCreated }: NotificationFormProps) {
  const id = useId();
  const { draft, setDraft, set, busy, error, send } = useDraftForm(
    () => defaultNotificationDraft(me),
    notificationInput,
    (detail) => t('notifications.form.failed', { detail }),
  );

  useEffect(() => {
    onMarkings([markingFromDraft(draft.marking)]);
  }, [draft.marking, onMarkings]);

  // The lead-time rule is a warning, never a refusal: said here before sending, and kept on the record.
  const start = localToIso(draft.windowStart);
  const shortNotice = start ? leadTimeWarning(draft.priority, new Date(), new Date(start)) : null;
  const hoursAhead = start ? Math.max(0, Math.floor((Date.parse(start) - Date.now()) / 3_600_000)) : 0;

  const create = (submit: boolean) =>
    send(async (input) => {
      let d = await notificationsApi.create(input);
      if (submit) d = await notificationsApi.act(d.feature.id, 'submit', d.feature.properties.version);
      onCreated(d);
      navigate(paths.notification(d.feature.id));
    });

  const field = fieldFor(id);
  const { input, select } = draftControls(id, draft, set);

  return (
    <RecordForm
      id={id}
      className="report-form notification-form"
      testId="notification-form"
      title={t('notifications.form.title')}
      onSubmit={() => void create(true)}
    >
      <fieldset className="report-form__group">
        <legend className="form__legend">{t('notifications.form.what')}</legend>
        <div className="report-form__grid">
          {field(
            'kind',
            t('notifications.form.kind'),
            select('kind', 'kind', NOTIFICATION_KINDS, (k) => t(`notifications.kind.${k}`)),
          )}
          {field(
            'name',
            t('notifications.form.title.label'),
            input('name', 'title', { maxLength: 200, required: true }),
          )}
          {field(
            'priority',
            t('notifications.form.priority'),
            select('priority', 'priority', PRIORITIES, (p) => t(`notifications.priority.${p}`)),
          )}
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={draft.noticeOnly}
            onChange={(e) => set('noticeOnly', e.target.checked)}
            data-testid="notification-notice-only"
          />
          <span>{t('notifications.form.noticeOnly')}</span>
        </label>
      </fieldset>

      <PlaceFields draft={draft} setDraft={setDraft} zones={zones} facilities={facilities} />

      <fieldset className="report-form__group">
        <legend className="form__legend">{t('notifications.form.when')}</legend>
        <div className="report-form__grid">
          {field(
            'start',
            t('notifications.form.windowStart'),
            input('start', 'windowStart', { type: 'datetime-local', required: true }),
          )}
          {field(
            'end',
            t('notifications.form.windowEnd'),
            input('end', 'windowEnd', { type: 'datetime-local' }),
          )}
        </div>
        {shortNotice ? (
          <p className="lead-warning" role="status" data-testid="form-lead-time-warning">
            {t('notifications.form.leadTimeShort', {
              hours: hoursAhead,
              priority: draft.priority,
              needed: LEAD_TIME_HOURS[draft.priority],
            })}
          </p>
        ) : (
          <p className="field__hint">{t('notifications.form.leadTimeHint')}</p>
        )}
      </fieldset>

      <fieldset className="report-form__group">
        <legend className="form__legend">{t('notifications.form.who')}</legend>
        <div className="report-form__grid">
          {field(
            'vehicles',
            t('notifications.form.vehicles'),
            input('vehicles', 'vehicles', { type: 'number', min: 0, max: 1000 }),
          )}
          {field(
            'personnel',
            t('notifications.form.personnel'),
            input('personnel', 'personnel', { type: 'number', min: 0, max: 10000 }),
          )}
        </div>
        <fieldset className="report-form__casualties">
          <legend className="field__label">{t('notifications.form.parties')}</legend>
          <div className="party-choices">
            {PARTY_CHOICES.map((p) => (
              <label key={p} className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.parties.includes(p)}
                  data-testid={`notification-party-${p}`}
                  onChange={(e) =>
                    set(
                      'parties',
                      e.target.checked ? [...draft.parties, p] : draft.parties.filter((x) => x !== p),
                    )
                  }
                />
                <span>{partyLabel(p)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {field(
          'details',
          t('notifications.form.details'),
          <textarea
            id={`${id}-details`}
            className="field__input field__textarea"
            rows={3}
            maxLength={4000}
            value={draft.details}
            onChange={(e) => set('details', e.target.value)}
          />,
        )}
      </fieldset>

      <MarkingEditor
        value={draft.marking}
        onChange={(m) => set('marking', m)}
        me={me}
        legend={t('notifications.form.marking')}
      />
      <p className="field__hint">{t('notifications.form.markingHint')}</p>
      <FormErrors error={error} testId="notification-error" />
      <div className="form__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={busy}
          data-testid="notification-submit"
        >
          {busy ? t('notifications.form.submitting') : t('notifications.form.submit')}
        </button>
        <button
          type="button"
          className="button button--secondary"
          disabled={busy}
          data-testid="notification-save-draft"
          onClick={() => void create(false)}
        >
          {t('notifications.form.saveDraft')}
        </button>
        <a className="button button--secondary" href={paths.notifications()} onClick={followLink}>
          {t('notifications.form.cancel')}
        </a>
      </div>
    </RecordForm>
  );
}
