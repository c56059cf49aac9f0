import { type Dispatch, type ReactNode, type SetStateAction, useId } from 'react';
import { FACILITY_KINDS, FACILITY_STATUSES } from '../../../domain/facilities';
import type { ZoneFeature } from '../../../domain/zones';
import type { Me } from '../../app/auth';
import { draftControls, fieldFor, RecordForm } from '../../app/formField';
import { t } from '../../i18n/t';
import { LocationPicker } from '../../map/LocationPicker';
import { draftPosition } from '../incidents/reportDraft';
import { facilityKindLabel, facilityStatusLabel } from '../notifications/labels';
import { type FormError, FormErrors } from '../zones/editing/FormErrors';
import { MarkingEditor } from '../zones/editing/MarkingEditor';
import type { FacilityDraft } from './facilityDraft';

interface FacilityFormProps {
  me: Me;
  zones: readonly ZoneFeature[];
  /** The draft and its state, from `useDraftForm`. */
  form: {
    draft: FacilityDraft;
    setDraft: Dispatch<SetStateAction<FacilityDraft>>;
    set<K extends keyof FacilityDraft>(k: K, v: FacilityDraft[K]): void;
    busy: boolean;
    error: FormError | null;
  };
  title: string;
  /** Shown when the page's own heading does not already say what the form is for. */
  showTitle?: boolean;
  submitLabel: string;
  busyLabel: string;
  onSubmit(): void;
  /** The way out without saving: a link back or a button that closes the form. */
  cancel: ReactNode;
  /** Said above the buttons, e.g. that someone else changed the facility meanwhile. */
  warning?: ReactNode;
}

/** A facility's fields, recorded or changed: what it is, where (map or typed), and its marking. */
export function FacilityForm({
  me,
  zones,
  form,
  title,
  showTitle = false,
  submitLabel,
  busyLabel,
  onSubmit,
  cancel,
  warning,
}: FacilityFormProps) {
  const id = useId();
  const { draft, setDraft, set, busy, error } = form;
  const field = fieldFor(id);
  const { input, select } = draftControls(id, draft, set);
  return (
    <RecordForm
      id={id}
      className="report-form facility-form"
      testId="facility-form"
      title={title}
      showTitle={showTitle}
      onSubmit={onSubmit}
    >
      <fieldset className="report-form__group">
        <legend className="form__legend">{t('facility.form.what')}</legend>
        <div className="report-form__grid">
          {field('name', t('facility.form.name'), input('name', 'name', { maxLength: 200, required: true }))}
          {field('kind', t('facility.kind'), select('kind', 'kind', FACILITY_KINDS, facilityKindLabel))}
          {field(
            'status',
            t('facility.status'),
            select('status', 'status', FACILITY_STATUSES, facilityStatusLabel),
          )}
          {field(
            'operator',
            t('facility.operator'),
            input('operator', 'operator', { maxLength: 24, autoCapitalize: 'characters', required: true }),
            t('facility.form.operatorHint'),
          )}
        </div>
        {field(
          'notes',
          t('facility.form.notes'),
          <textarea
            id={`${id}-notes`}
            className="field__input field__textarea"
            rows={3}
            maxLength={4000}
            value={draft.notes}
            onChange={(e) => set('notes', e.target.value)}
          />,
        )}
      </fieldset>

      <fieldset className="report-form__group">
        <legend className="form__legend">{t('facility.form.where')}</legend>
        <p className="field__hint">{t('facility.form.mapHint')}</p>
        <LocationPicker
          value={draftPosition(draft)}
          zones={zones}
          label={t('facility.form.mapLabel')}
          onPick={(lon, lat) => setDraft((d) => ({ ...d, lon: String(lon), lat: String(lat) }))}
        />
        <div className="report-form__grid">
          {field('lat', t('facility.form.lat'), input('lat', 'lat', { inputMode: 'decimal' }))}
          {field('lon', t('facility.form.lon'), input('lon', 'lon', { inputMode: 'decimal' }))}
        </div>
      </fieldset>

      <MarkingEditor
        value={draft.marking}
        onChange={(m) => set('marking', m)}
        me={me}
        legend={t('facility.form.marking')}
      />
      <p className="field__hint">{t('facility.form.markingHint')}</p>
      {warning}
      <FormErrors error={error} testId="facility-error" />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy} data-testid="facility-save">
          {busy ? busyLabel : submitLabel}
        </button>
        {cancel}
      </div>
    </RecordForm>
  );
}
