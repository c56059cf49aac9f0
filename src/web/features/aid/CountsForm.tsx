import { type FormEvent, useId, useState } from 'react';
import type { Marking } from '../../../domain/marking';
import {
  COUNT_UNITS,
  COUNTING_RULES,
  type CountFigure,
  type CountingRule,
  type CountUnit,
} from '../../../domain/reconciliation';
import { hasPermission } from '../../../domain/roles';
import type { Me } from '../../app/auth';
import { t } from '../../i18n/t';
import { MarkingEditor } from '../zones/editing/MarkingEditor';
import { defaultMarkingDraft, type MarkingDraft, markingFromDraft } from '../zones/editing/markingDraft';
import { aidApi } from './aidApi';
import { CrossingField } from './CrossingField';

/** Enters one source's figures for a day at a crossing (a humanitarian: only its own organisation's). */
export function CountsForm({
  me,
  crossings,
  onSaved,
}: {
  me: Me;
  crossings: readonly { id: string; name: string }[];
  onSaved(): void;
}) {
  const id = useId();
  const centre = hasPermission(me.roles, 'aid:coordinate');
  const [open, setOpen] = useState(false);
  const [crossingId, setCrossingId] = useState(crossings[0]?.id ?? '');
  const [day, setDay] = useState(new Date().toISOString().slice(0, 10));
  const [source, setSource] = useState(me.organisation);
  const [rule, setRule] = useState<CountingRule>('screened');
  const [scope, setScope] = useState('all aid');
  const [unit, setUnit] = useState<CountUnit>('trucks');
  const [value, setValue] = useState('');
  const [marking, setMarking] = useState<MarkingDraft>(() => defaultMarkingDraft(me));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  if (!open)
    return (
      <button
        type="button"
        className="button button--secondary aid-counts-open"
        data-testid="counts-open"
        onClick={() => setOpen(true)}
      >
        {t('aid.recon.enter')}
      </button>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const figure: CountFigure = {
      source: source.trim(),
      rule,
      scope: scope.trim(),
      unit,
      value: Number(value),
    };
    setBusy(true);
    try {
      const m: Marking = markingFromDraft(marking);
      const r = await aidApi.putCounts(crossingId, { day, marking: m, figures: [figure] });
      setMessage({ ok: true, text: t('aid.recon.saved', { verdict: t(`aid.verdict.${r.verdict}`) }) });
      setValue('');
      onSaved();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="panel aid-form aid-counts"
      onSubmit={submit}
      data-testid="counts-form"
      aria-label={t('aid.recon.enter')}
    >
      <h3 className="aid-card__title">{t('aid.recon.enter')}</h3>
      <div className="aid-form__row aid-form__row--4">
        <CrossingField id={`${id}-c`} crossings={crossings} value={crossingId} onChange={setCrossingId} />
        <label className="field" htmlFor={`${id}-d`}>
          <span className="field__label">{t('aid.col.day')}</span>
          <input
            id={`${id}-d`}
            className="field__input"
            type="date"
            required
            value={day}
            onChange={(e) => setDay(e.target.value)}
          />
        </label>
        <label className="field" htmlFor={`${id}-s`}>
          <span className="field__label">{t('aid.recon.source')}</span>
          <input
            id={`${id}-s`}
            className="field__input"
            required
            readOnly={!centre}
            value={source}
            onChange={(e) => setSource(e.target.value.toUpperCase())}
          />
        </label>
        <label className="field" htmlFor={`${id}-r`}>
          <span className="field__label">{t('aid.recon.rule')}</span>
          <select
            id={`${id}-r`}
            className="field__input"
            value={rule}
            onChange={(e) => setRule(e.target.value as CountingRule)}
          >
            {COUNTING_RULES.map((r) => (
              <option key={r} value={r}>
                {t(`aid.rule.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor={`${id}-sc`}>
          <span className="field__label">{t('aid.recon.scope')}</span>
          <input
            id={`${id}-sc`}
            className="field__input"
            required
            value={scope}
            onChange={(e) => setScope(e.target.value)}
          />
        </label>
        <label className="field" htmlFor={`${id}-u`}>
          <span className="field__label">{t('aid.recon.unit')}</span>
          <select
            id={`${id}-u`}
            className="field__input"
            value={unit}
            onChange={(e) => setUnit(e.target.value as CountUnit)}
          >
            {COUNT_UNITS.map((u) => (
              <option key={u} value={u}>
                {t(`aid.unit.${u}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor={`${id}-v`}>
          <span className="field__label">{t('aid.recon.value')}</span>
          <input
            id={`${id}-v`}
            className="field__input"
            type="number"
            min="0"
            step="any"
            required
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
      </div>
      <MarkingEditor value={marking} onChange={setMarking} me={me} legend={t('aid.form.marking')} />
      {message && (
        <p className={message.ok ? 'notice notice--ok' : 'error-text'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy} data-testid="counts-submit">
          {t('aid.recon.save')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
          {t('aid.close')}
        </button>
      </div>
    </form>
  );
}
