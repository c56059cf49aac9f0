import { useEffect, useId, useState } from 'react';
import {
  type Casualties,
  INCIDENT_CATEGORIES,
  INCIDENT_TAXONOMY,
  INFORMATION_CREDIBILITY,
  LOCATION_PRECISIONS,
  REPORTER_KINDS,
  SOURCE_RELIABILITY,
  TIME_PRECISIONS,
} from '../../../domain/incidents';
import type { Marking } from '../../../domain/marking';
import type { ZoneFeature } from '../../../domain/zones';
import type { Me } from '../../app/auth';
import { draftControls, fieldFor, RecordForm } from '../../app/formField';
import { followLink, paths } from '../../app/router';
import { useDraftForm } from '../../app/useDraftForm';
import { t } from '../../i18n/t';
import { LocationPicker } from '../../map/LocationPicker';
import { FormErrors } from '../zones/editing/FormErrors';
import { MarkingEditor } from '../zones/editing/MarkingEditor';
import { markingFromDraft } from '../zones/editing/markingDraft';
import { incidentsApi } from './incidentsApi';
import {
  categoryLabel,
  locationPrecisionLabel,
  PARTIES,
  partyLabel,
  reporterLabel,
  subtypeLabel,
  timePrecisionLabel,
} from './labels';
import { ReportDone, type ReportResult } from './ReportDone';
import { defaultReportDraft, draftPosition, type ReportDraft, reportInput } from './reportDraft';

interface ReportFormProps {
  me: Me;
  zones: readonly ZoneFeature[];
  onMarkings(markings: readonly Marking[]): void;
}

const CASUALTY_FIELDS: (keyof Casualties)[] = [
  'killedCivilians',
  'killedUnknown',
  'injuredCivilians',
  'injuredUnknown',
];

/** Submitting an allegation or observation; afterwards, the incidents it may be the same event as. */
export function ReportForm({ me, zones, onMarkings }: ReportFormProps) {
  const id = useId();
  const { draft, setDraft, set, busy, error, send } = useDraftForm(
    () => defaultReportDraft(me),
    reportInput,
    (detail) => t('incidents.form.failed', { detail }),
  );
  const [done, setDone] = useState<ReportResult | null>(null);

  // What is on screen is what is being written: the banner follows the marking chosen.
  useEffect(() => {
    onMarkings([markingFromDraft(draft.marking)]);
  }, [draft.marking, onMarkings]);

  const submit = () =>
    send(async (input) => {
      const r = await incidentsApi.report(input);
      const p = r.incident.feature.properties;
      setDone({ id: r.incident.feature.id, number: p.number, candidates: r.candidates ?? [] });
    });

  if (done) {
    return (
      <ReportDone
        done={done}
        onAnother={() => {
          setDraft(defaultReportDraft(me));
          setDone(null);
        }}
      />
    );
  }

  const subtypes: readonly string[] = INCIDENT_TAXONOMY[draft.category];
  const field = fieldFor(id);
  const { input, select } = draftControls(id, draft, set);

  return (
    <RecordForm
      id={id}
      className="report-form"
      testId="report-form"
      title={t('incidents.form.title')}
      onSubmit={() => void submit()}
    >
      <fieldset className="report-form__group">
        <legend className="form__legend">{t('incidents.form.who')}</legend>
        <div className="report-form__grid">
          {field(
            'kind',
            t('incidents.form.reporterKind'),
            select('kind', 'reporterKind', REPORTER_KINDS, reporterLabel),
          )}
          {field('name', t('incidents.form.reporterName'), input('name', 'reporterName', { maxLength: 200 }))}
          {field(
            'alleging',
            t('incidents.form.alleging'),
            select('alleging', 'allegingParty', PARTIES, partyLabel, { empty: t('incidents.noParty') }),
          )}
          {field(
            'accused',
            t('incidents.form.accused'),
            select('accused', 'accusedParty', PARTIES, partyLabel),
          )}
        </div>
      </fieldset>

      <fieldset className="report-form__group">
        <legend className="form__legend">{t('incidents.form.when')}</legend>
        <div className="report-form__grid">
          {field(
            'at',
            t('incidents.form.observedAt'),
            input('at', 'observedAt', { type: 'datetime-local', required: true }),
          )}
          {field('to', t('incidents.form.observedTo'), input('to', 'observedTo', { type: 'datetime-local' }))}
          {field(
            'tp',
            t('incidents.form.timePrecision'),
            select('tp', 'timePrecision', TIME_PRECISIONS, timePrecisionLabel),
          )}
        </div>
      </fieldset>

      <fieldset className="report-form__group">
        <legend className="form__legend">{t('incidents.form.where')}</legend>
        <p className="field__hint">{t('incidents.form.mapHint')}</p>
        <LocationPicker
          value={draftPosition(draft)}
          zones={zones}
          label={t('incidents.form.mapHint')}
          onPick={(lon, lat) => setDraft((d) => ({ ...d, lon: String(lon), lat: String(lat) }))}
        />
        <div className="report-form__grid">
          {field('lat', t('incidents.form.lat'), input('lat', 'lat', { inputMode: 'decimal' }))}
          {field('lon', t('incidents.form.lon'), input('lon', 'lon', { inputMode: 'decimal' }))}
          {field(
            'lp',
            t('incidents.form.locationPrecision'),
            select('lp', 'locationPrecision', LOCATION_PRECISIONS, locationPrecisionLabel),
          )}
          {field('place', t('incidents.form.placeName'), input('place', 'placeName', { maxLength: 200 }))}
        </div>
      </fieldset>

      <fieldset className="report-form__group">
        <legend className="form__legend">{t('incidents.form.what')}</legend>
        <div className="report-form__grid">
          {field(
            'cat',
            t('incidents.category'),
            <select
              id={`${id}-cat`}
              className="field__input"
              value={draft.category}
              onChange={(e) => {
                const category = e.target.value as ReportDraft['category'];
                setDraft((d) => ({ ...d, category, subtype: INCIDENT_TAXONOMY[category][0] }));
              }}
            >
              {INCIDENT_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(c)}
                </option>
              ))}
            </select>,
          )}
          {field('sub', t('incidents.subtype'), select('sub', 'subtype', subtypes, subtypeLabel))}
        </div>
        <fieldset className="report-form__casualties">
          <legend className="field__label">{t('incidents.form.casualties')}</legend>
          <div className="report-form__grid report-form__grid--four">
            {CASUALTY_FIELDS.map((k) =>
              field(
                k,
                t(`incidents.form.${k}`),
                <input
                  id={`${id}-${k}`}
                  className="field__input"
                  type="number"
                  min={0}
                  max={100000}
                  value={draft.casualties[k]}
                  onChange={(e) =>
                    set('casualties', {
                      ...draft.casualties,
                      [k]: Math.max(0, Math.floor(Number(e.target.value) || 0)),
                    })
                  }
                />,
              ),
            )}
          </div>
        </fieldset>
        {field(
          'narrative',
          t('incidents.form.narrative'),
          <textarea
            id={`${id}-narrative`}
            className="field__input field__textarea"
            rows={5}
            maxLength={20000}
            required
            value={draft.narrative}
            onChange={(e) => set('narrative', e.target.value)}
          />,
        )}
        <fieldset className="report-form__casualties">
          <legend className="field__label">{t('incidents.form.grading')}</legend>
          <div className="report-form__grid">
            {field(
              'rel',
              t('incidents.form.reliability'),
              select('rel', 'reliability', SOURCE_RELIABILITY, String, {
                empty: t('incidents.form.notGraded'),
              }),
            )}
            {field(
              'cred',
              t('incidents.form.credibility'),
              select('cred', 'credibility', INFORMATION_CREDIBILITY.map(String), String, {
                empty: t('incidents.form.notGraded'),
              }),
            )}
          </div>
        </fieldset>
      </fieldset>

      <MarkingEditor
        value={draft.marking}
        onChange={(m) => set('marking', m)}
        me={me}
        legend={t('incidents.form.marking')}
      />
      <FormErrors error={error} testId="report-error" />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy} data-testid="report-submit">
          {busy ? t('incidents.form.submitting') : t('incidents.form.submit')}
        </button>
        <a className="button button--secondary" href={paths.incidents()} onClick={followLink}>
          {t('incidents.form.cancel')}
        </a>
      </div>
    </RecordForm>
  );
}
