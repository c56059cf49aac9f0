import { useEffect, useId, useState } from 'react';
import { CONSIGNMENT_STATES, type ConsignmentState } from '../../../domain/consignments';
import { t } from '../../i18n/t';
import { isoToLocal, localToIso } from '../incidents/filter';
import { aidApi, type ConsignmentFilter } from './aidApi';
import { CrossingField } from './CrossingField';
import { stateLabel } from './labels';

/** State, crossing, organisation and registration time; every change goes to the URL. */
export function ConsignmentFilters({
  value,
  onChange,
}: {
  value: ConsignmentFilter;
  onChange(f: ConsignmentFilter): void;
}) {
  const id = useId();
  const crossings = useCrossingNames();
  const [org, setOrg] = useState(value.organisation);
  useEffect(() => setOrg(value.organisation), [value.organisation]);
  const state = value.states[0] ?? '';
  const active = [value.states.length > 0, value.crossing, value.organisation, value.from, value.to].filter(
    Boolean,
  ).length;
  // Open on wide screens; folded on a phone, where the filters would hide the list.
  const [open] = useState(() => window.matchMedia('(min-width: 701px)').matches);
  return (
    <details className="aid-filters-fold" open={open}>
      <summary className="button button--secondary aid-filters-fold__summary">
        {active ? t('aid.filtersActive', { count: active }) : t('aid.filters')}
      </summary>
      <fieldset className="aid-filters panel" data-testid="consignment-filters">
        <legend className="visually-hidden">{t('aid.filters')}</legend>
        <label className="field" htmlFor={`${id}-state`}>
          <span className="field__label">{t('aid.col.state')}</span>
          <select
            id={`${id}-state`}
            className="field__input"
            value={state}
            onChange={(e) =>
              onChange({ ...value, states: e.target.value ? [e.target.value as ConsignmentState] : [] })
            }
          >
            <option value="">{t('aid.any')}</option>
            {CONSIGNMENT_STATES.map((s) => (
              <option key={s} value={s}>
                {stateLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <CrossingField
          id={`${id}-crossing`}
          crossings={crossings}
          value={value.crossing}
          onChange={(crossing) => onChange({ ...value, crossing })}
          any
        />
        <label className="field" htmlFor={`${id}-org`}>
          <span className="field__label">{t('aid.col.organisation')}</span>
          <input
            id={`${id}-org`}
            className="field__input"
            value={org}
            placeholder="WFP"
            onChange={(e) => setOrg(e.target.value.toUpperCase())}
            onBlur={() => org !== value.organisation && onChange({ ...value, organisation: org.trim() })}
            onKeyDown={(e) => e.key === 'Enter' && onChange({ ...value, organisation: org.trim() })}
          />
        </label>
        <label className="field" htmlFor={`${id}-from`}>
          <span className="field__label">{t('aid.fromUtc')}</span>
          <input
            id={`${id}-from`}
            className="field__input"
            type="datetime-local"
            value={isoToLocal(value.from)}
            onChange={(e) => onChange({ ...value, from: localToIso(e.target.value) ?? '' })}
          />
        </label>
        <label className="field" htmlFor={`${id}-to`}>
          <span className="field__label">{t('aid.toUtc')}</span>
          <input
            id={`${id}-to`}
            className="field__input"
            type="datetime-local"
            value={isoToLocal(value.to)}
            onChange={(e) => onChange({ ...value, to: localToIso(e.target.value) ?? '' })}
          />
        </label>
        <button
          type="button"
          className="button button--ghost aid-filters__clear"
          onClick={() => onChange({ states: [], crossing: '', organisation: '', from: '', to: '' })}
        >
          {t('aid.clearFilters')}
        </button>
      </fieldset>
    </details>
  );
}

/** The crossings' ids and names, for pickers. */
export function useCrossingNames(): { id: string; name: string; version: number }[] {
  const [list, setList] = useState<{ id: string; name: string; version: number }[]>([]);
  useEffect(() => {
    let live = true;
    aidApi.board().then(
      (b) => live && setList(b.crossings.map((c) => ({ id: c.id, name: c.name, version: c.version }))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return list;
}
