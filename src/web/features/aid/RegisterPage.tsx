import { type FormEvent, useEffect, useId, useState } from 'react';
import { type ConsignmentItem, ITEM_CATEGORIES, type ItemCategory } from '../../../domain/consignments';
import type { Marking } from '../../../domain/marking';
import { hasPermission } from '../../../domain/roles';
import { fieldProblems } from '../../app/api';
import type { Me } from '../../app/auth';
import { navigate, paths } from '../../app/router';
import { t } from '../../i18n/t';
import { MarkingEditor } from '../zones/editing/MarkingEditor';
import { defaultMarkingDraft, type MarkingDraft, markingFromDraft } from '../zones/editing/markingDraft';
import { aidApi } from './aidApi';
import { useCrossingNames } from './ConsignmentFilters';
import { CrossingField } from './CrossingField';
import { categoryLabel } from './labels';

interface ItemDraft {
  key: number;
  category: ItemCategory;
  description: string;
  quantity: string;
  unit: string;
  dualUse: boolean;
}

let nextKey = 1;
const blankItem = (): ItemDraft => ({
  key: nextKey++,
  category: 'food',
  description: '',
  quantity: '',
  unit: 'parcels',
  dualUse: false,
});

/** Registers a consignment: crossing, load, items and marking. */
export function RegisterPage({ me, onMarkings }: { me: Me; onMarkings(m: readonly Marking[]): void }) {
  const id = useId();
  const crossings = useCrossingNames();
  const [crossingId, setCrossingId] = useState('');
  const [reference, setReference] = useState('');
  const [donor, setDonor] = useState('');
  const [corridor, setCorridor] = useState('');
  const [trucks, setTrucks] = useState('1');
  const [tonnes, setTonnes] = useState('');
  const [pallets, setPallets] = useState('');
  const [items, setItems] = useState<ItemDraft[]>(() => [blankItem()]);
  const [marking, setMarking] = useState<MarkingDraft>(() => defaultMarkingDraft(me));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => onMarkings([markingFromDraft(marking)]), [marking, onMarkings]);
  useEffect(() => {
    if (!crossingId && crossings[0]) setCrossingId(crossings[0].id);
  }, [crossings, crossingId]);

  if (!hasPermission(me.roles, 'aid:notify'))
    return (
      <p role="alert" className="notice">
        {t('aid.form.notAllowed')}
      </p>
    );

  const setItem = (key: number, patch: Partial<ItemDraft>) =>
    setItems((list) => list.map((it) => (it.key === key ? { ...it, ...patch } : it)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed: ConsignmentItem[] = items.map((it) => ({
      category: it.category,
      description: it.description.trim(),
      quantity: Number(it.quantity),
      unit: it.unit.trim(),
      ...(it.dualUse ? { dualUse: true } : {}),
    }));
    if (parsed.some((it) => !it.description || !(it.quantity > 0) || !it.unit)) {
      setError(t('aid.form.itemsIncomplete'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const c = await aidApi.register({
        crossingId,
        items: parsed,
        trucks: Number(trucks) || 0,
        tonnes: Number(tonnes) || 0,
        pallets: Number(pallets) || 0,
        marking: markingFromDraft(marking),
        ...(reference.trim() ? { reference: reference.trim() } : {}),
        ...(donor.trim() ? { donor: donor.trim() } : {}),
        ...(corridor.trim() ? { corridor: corridor.trim() } : {}),
      });
      navigate(paths.consignment(c.id));
    } catch (err) {
      const fields = fieldProblems(err);
      const base = err instanceof Error ? err.message : String(err);
      setError(fields.length ? `${base} ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}` : base);
    } finally {
      setBusy(false);
    }
  };

  const num = (label: string, value: string, set: (v: string) => void, name: string, step = '1') => (
    <label className="field" htmlFor={`${id}-${name}`}>
      <span className="field__label">{label}</span>
      <input
        id={`${id}-${name}`}
        className="field__input"
        type="number"
        min="0"
        step={step}
        required
        value={value}
        onChange={(e) => set(e.target.value)}
      />
    </label>
  );

  return (
    <form className="aid-form aid-register panel" onSubmit={submit} data-testid="consignment-form">
      <h2 className="page__title">{t('aid.form.title')}</h2>
      <div className="aid-form__row">
        <CrossingField
          id={`${id}-crossing`}
          crossings={crossings}
          value={crossingId}
          onChange={setCrossingId}
          required
        />
        <label className="field" htmlFor={`${id}-ref`}>
          <span className="field__label">{t('aid.form.reference')}</span>
          <input
            id={`${id}-ref`}
            className="field__input"
            value={reference}
            onChange={(e) => setReference(e.target.value)}
          />
        </label>
      </div>
      <div className="aid-form__row">
        <label className="field" htmlFor={`${id}-donor`}>
          <span className="field__label">{t('aid.form.donor')}</span>
          <input
            id={`${id}-donor`}
            className="field__input"
            value={donor}
            onChange={(e) => setDonor(e.target.value)}
          />
        </label>
        <label className="field" htmlFor={`${id}-corridor`}>
          <span className="field__label">{t('aid.form.corridor')}</span>
          <input
            id={`${id}-corridor`}
            className="field__input"
            value={corridor}
            onChange={(e) => setCorridor(e.target.value)}
          />
        </label>
      </div>
      <div className="aid-form__row aid-form__row--3">
        {num(t('aid.col.trucks'), trucks, setTrucks, 'trucks')}
        {num(t('aid.col.tonnes'), tonnes, setTonnes, 'tonnes', '0.1')}
        {num(t('aid.col.pallets'), pallets, setPallets, 'pallets')}
      </div>
      <fieldset className="aid-items">
        <legend className="form__legend">{t('aid.items.title')}</legend>
        {items.map((it, i) => (
          <div key={it.key} className="aid-item" data-testid="item-row">
            <label className="field">
              <span className="field__label">{t('aid.items.category')}</span>
              <select
                className="field__input"
                value={it.category}
                onChange={(e) => setItem(it.key, { category: e.target.value as ItemCategory })}
              >
                {ITEM_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {categoryLabel(c)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field aid-item__desc">
              <span className="field__label">{t('aid.items.description')}</span>
              <input
                className="field__input"
                value={it.description}
                onChange={(e) => setItem(it.key, { description: e.target.value })}
              />
            </label>
            <label className="field">
              <span className="field__label">{t('aid.items.quantity')}</span>
              <input
                className="field__input"
                type="number"
                min="0"
                step="any"
                value={it.quantity}
                onChange={(e) => setItem(it.key, { quantity: e.target.value })}
              />
            </label>
            <label className="field">
              <span className="field__label">{t('aid.items.unit')}</span>
              <input
                className="field__input"
                value={it.unit}
                onChange={(e) => setItem(it.key, { unit: e.target.value })}
              />
            </label>
            <label className="aid-radio">
              <input
                type="checkbox"
                checked={it.dualUse}
                onChange={(e) => setItem(it.key, { dualUse: e.target.checked })}
              />
              {t('aid.items.dualUse')}
            </label>
            <button
              type="button"
              className="button button--ghost"
              disabled={items.length === 1}
              aria-label={t('aid.items.removeN', { n: i + 1 })}
              onClick={() => setItems((list) => list.filter((x) => x.key !== it.key))}
            >
              {t('aid.items.remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button button--secondary"
          data-testid="item-add"
          onClick={() => setItems((l) => [...l, blankItem()])}
        >
          {t('aid.items.add')}
        </button>
      </fieldset>
      <MarkingEditor value={marking} onChange={setMarking} me={me} legend={t('aid.form.marking')} />
      {error && (
        <p className="error-text" role="alert" data-testid="consignment-form-error">
          {error}
        </p>
      )}
      <div className="form__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={busy || !crossingId}
          data-testid="consignment-submit"
        >
          {t('aid.form.submit')}
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => navigate(paths.aid('consignments'))}
        >
          {t('aid.cancel')}
        </button>
      </div>
    </form>
  );
}
