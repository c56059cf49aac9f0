import { useId } from 'react';
import { GOVERNORATES } from '../../../domain/governorates';
import { INCIDENT_CATEGORIES } from '../../../domain/incidents';
import { t } from '../../i18n/t';
import { EMPTY_FILTER, type IncidentFilter } from './filter';
import { categoryLabel, PARTIES, partyLabel } from './labels';

interface IncidentFiltersProps {
  value: IncidentFilter;
  onChange(next: IncidentFilter): void;
}

/** Time range, governorate, category, party and text; the statuses are the count chips. */
export function IncidentFilters({ value, onChange }: IncidentFiltersProps) {
  const id = useId();
  const set = <K extends keyof IncidentFilter>(k: K, v: IncidentFilter[K]) => onChange({ ...value, [k]: v });
  return (
    <fieldset className="incident-filters">
      <legend className="visually-hidden">{t('incidents.filters')}</legend>
      <div className="field incident-filters__q">
        <label className="field__label" htmlFor={`${id}-q`}>
          {t('incidents.text')}
        </label>
        <input
          id={`${id}-q`}
          className="field__input"
          type="search"
          placeholder={t('incidents.textPlaceholder')}
          value={value.q}
          onChange={(e) => set('q', e.target.value)}
          data-testid="incident-filter-q"
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-from`}>
          {t('incidents.from')}
        </label>
        <input
          id={`${id}-from`}
          className="field__input"
          type="datetime-local"
          value={value.from}
          onChange={(e) => set('from', e.target.value)}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-to`}>
          {t('incidents.to')}
        </label>
        <input
          id={`${id}-to`}
          className="field__input"
          type="datetime-local"
          value={value.to}
          onChange={(e) => set('to', e.target.value)}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-gov`}>
          {t('incidents.governorate')}
        </label>
        <select
          id={`${id}-gov`}
          className="field__input"
          value={value.governorate}
          onChange={(e) => set('governorate', e.target.value)}
        >
          <option value="">{t('incidents.any')}</option>
          {GOVERNORATES.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-cat`}>
          {t('incidents.category')}
        </label>
        <select
          id={`${id}-cat`}
          className="field__input"
          value={value.category}
          onChange={(e) => set('category', e.target.value as IncidentFilter['category'])}
        >
          <option value="">{t('incidents.any')}</option>
          {INCIDENT_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-party`}>
          {t('incidents.party')}
        </label>
        <select
          id={`${id}-party`}
          className="field__input"
          value={value.party}
          onChange={(e) => set('party', e.target.value)}
        >
          <option value="">{t('incidents.any')}</option>
          {PARTIES.map((p) => (
            <option key={p} value={p}>
              {partyLabel(p)}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="link-button incident-filters__clear"
        onClick={() => onChange(EMPTY_FILTER)}
      >
        {t('incidents.clear')}
      </button>
    </fieldset>
  );
}
