import { useId, useState } from 'react';
import { INCIDENT_CATEGORIES, INCIDENT_TAXONOMY, type IncidentSummary } from '../../../domain/incidents';
import { t } from '../../i18n/t';
import type { IncidentEdit } from './incidentsApi';
import { categoryLabel, subtypeLabel } from './labels';

interface IncidentEditorProps {
  incident: IncidentSummary;
  busy: boolean;
  onSave(edit: IncidentEdit): Promise<boolean>;
}

/** Triage corrects the title, category and sub-type the reports suggested; only what changed is sent. */
export function IncidentEditor({ incident, busy, onSave }: IncidentEditorProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(incident.title);
  const [category, setCategory] = useState(incident.category);
  const [subtype, setSubtype] = useState(incident.subtype);
  if (!open) {
    return (
      <button
        type="button"
        className="link-button incident-edit__open"
        data-testid="incident-edit"
        onClick={() => setOpen(true)}
      >
        {t('incident.edit')}
      </button>
    );
  }
  const edit: IncidentEdit = {};
  if (title.trim() !== incident.title) edit.title = title.trim();
  if (category !== incident.category || subtype !== incident.subtype) {
    edit.category = category;
    edit.subtype = subtype;
  }
  const changed = Object.keys(edit).length > 0 && title.trim() !== '';
  return (
    <form
      className="incident-edit"
      aria-label={t('incident.edit')}
      onSubmit={(e) => {
        e.preventDefault();
        void onSave(edit).then((ok) => ok && setOpen(false));
      }}
    >
      <div className="field">
        <label className="field__label" htmlFor={`${id}-title`}>
          {t('incidents.col.title')}
        </label>
        <input
          id={`${id}-title`}
          className="field__input"
          maxLength={300}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>
      <div className="report-form__grid">
        <div className="field">
          <label className="field__label" htmlFor={`${id}-cat`}>
            {t('incidents.category')}
          </label>
          <select
            id={`${id}-cat`}
            className="field__input"
            value={category}
            onChange={(e) => {
              const c = e.target.value as typeof category;
              setCategory(c);
              setSubtype(INCIDENT_TAXONOMY[c][0]);
            }}
          >
            {INCIDENT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-sub`}>
            {t('incidents.subtype')}
          </label>
          <select
            id={`${id}-sub`}
            className="field__input"
            value={subtype}
            onChange={(e) => setSubtype(e.target.value)}
          >
            {(INCIDENT_TAXONOMY[category] as readonly string[]).map((s) => (
              <option key={s} value={s}>
                {subtypeLabel(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy || !changed}>
          {t('incident.editSave')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
          {t('incident.do.cancel')}
        </button>
      </div>
    </form>
  );
}
