import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { GeometryType } from '../../../../domain/geometry';
import { ZONE_GEOMETRY, ZONE_KINDS, type ZoneKind } from '../../../../domain/zones';
import { ApiError, fieldProblems } from '../../../app/api';
import type { Me } from '../../../app/auth';
import { formatUtc, t } from '../../../i18n/t';
import { kindLabel } from '../kinds';
import { type FormError, FormErrors } from './FormErrors';
import { MarkingEditor } from './MarkingEditor';
import type { MarkingDraft } from './markingDraft';
import { utcInputToIso } from './time';

export interface ZoneFormValues {
  name: string;
  kind: ZoneKind;
  description: string;
  /** `datetime-local` values, read as UTC; empty means "from now" and "until further notice". */
  validFrom: string;
  validTo: string;
  marking: MarkingDraft;
}

interface ZoneFormProps {
  me: Me;
  title: string;
  /** The geometry the zone has: only kinds that allow it are offered. */
  geometryType: GeometryType;
  initial: ZoneFormValues;
  /** For an edit: when the version in force started, to explain what an empty "valid from" means. */
  inForceSince?: string;
  /** Saves; a rejection with an ApiError is shown beside the form and the form keeps its content. */
  onSubmit(values: ZoneFormValues): Promise<void>;
  onCancel(): void;
  onKindChange?(kind: ZoneKind): void;
  /** Above the fields: what is being edited, a conflict notice, geometry actions. */
  children?: ReactNode;
}

function problemsOf(v: ZoneFormValues): FormError | null {
  const problems: FormError['problems'] = [];
  if (!v.name.trim()) problems.push({ path: 'name', message: t('form.nameRequired') });
  const from = v.validFrom ? utcInputToIso(v.validFrom) : new Date().toISOString();
  const to = v.validTo ? utcInputToIso(v.validTo) : null;
  if (v.validFrom && !from) problems.push({ path: 'validFrom', message: t('form.badTime') });
  if (v.validTo && !to) problems.push({ path: 'validTo', message: t('form.badTime') });
  if (from && to && Date.parse(to) <= Date.parse(from))
    problems.push({ path: 'validTo', message: t('form.toBeforeFrom') });
  return problems.length ? { detail: t('form.fix'), problems } : null;
}

/** Name, kind, description, validity in UTC and marking of a zone, for a new zone or a new version. */
export function ZoneForm(p: ZoneFormProps) {
  const [values, setValues] = useState(p.initial);
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const kinds = ZONE_KINDS.filter((k) => ZONE_GEOMETRY[k].includes(p.geometryType) || k === p.initial.kind);

  useEffect(() => {
    nameRef.current?.focus();
  }, []);

  const set = <K extends keyof ZoneFormValues>(key: K, v: ZoneFormValues[K]) =>
    setValues((prev) => ({ ...prev, [key]: v }));

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    const own = problemsOf(values);
    if (own) {
      setError(own);
      if (own.problems.some((x) => x.path === 'name')) nameRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await p.onSubmit(values);
    } catch (err) {
      setError({
        detail: err instanceof Error && err.message ? err.message : t('form.failed'),
        problems: err instanceof ApiError ? fieldProblems(err) : [],
      });
    } finally {
      setBusy(false);
    }
  }

  const nameInvalid = error?.problems.some((x) => x.path === 'name' || x.path === 'body/name');
  const fromIso = utcInputToIso(values.validFrom);
  const toIso = utcInputToIso(values.validTo);

  return (
    <form
      className="zone-form"
      data-testid="zone-form"
      onSubmit={submit}
      noValidate
      aria-labelledby={`${id}-t`}
    >
      <h2 className="panel__title" id={`${id}-t`}>
        {p.title}
      </h2>
      {p.children}
      <div className="field">
        <label className="field__label" htmlFor={`${id}-name`}>
          {t('form.name')}
        </label>
        <input
          id={`${id}-name`}
          ref={nameRef}
          className="field__input"
          data-testid="zone-name"
          required
          maxLength={200}
          autoComplete="off"
          aria-invalid={nameInvalid ? true : undefined}
          value={values.name}
          onChange={(e) => set('name', e.target.value)}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-kind`}>
          {t('form.kind')}
        </label>
        <select
          id={`${id}-kind`}
          className="field__input"
          data-testid="zone-kind"
          value={values.kind}
          onChange={(e) => {
            const kind = kinds.find((k) => k === e.target.value);
            if (!kind) return;
            set('kind', kind);
            p.onKindChange?.(kind);
          }}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k)}
            </option>
          ))}
        </select>
        <span className="field__hint">{t('form.kindHint', { geometry: p.geometryType })}</span>
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-desc`}>
          {t('form.description')}
        </label>
        <textarea
          id={`${id}-desc`}
          className="field__input field__textarea"
          data-testid="zone-description"
          maxLength={4000}
          rows={3}
          value={values.description}
          onChange={(e) => set('description', e.target.value)}
        />
      </div>
      <fieldset className="validity">
        <legend className="form__legend">{t('form.validity')}</legend>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-from`}>
            {t('form.validFrom')}
          </label>
          <div className="field__row">
            <input
              id={`${id}-from`}
              type="datetime-local"
              className="field__input"
              data-testid="zone-valid-from"
              aria-describedby={`${id}-from-hint`}
              value={values.validFrom}
              onChange={(e) => set('validFrom', e.target.value)}
            />
            {values.validFrom && (
              <button type="button" className="link-button" onClick={() => set('validFrom', '')}>
                {t('form.clear')}
              </button>
            )}
          </div>
          <span className="field__hint" id={`${id}-from-hint`}>
            {fromIso
              ? t('form.utcEcho', { time: formatUtc(fromIso) })
              : p.inForceSince
                ? t('form.fromEmptyEdit', { since: formatUtc(p.inForceSince) })
                : t('form.fromEmpty')}
          </span>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-to`}>
            {t('form.validTo')}
          </label>
          <div className="field__row">
            <input
              id={`${id}-to`}
              type="datetime-local"
              className="field__input"
              data-testid="zone-valid-to"
              aria-describedby={`${id}-to-hint`}
              value={values.validTo}
              onChange={(e) => set('validTo', e.target.value)}
            />
            {values.validTo && (
              <button type="button" className="link-button" onClick={() => set('validTo', '')}>
                {t('form.clear')}
              </button>
            )}
          </div>
          <span className="field__hint" id={`${id}-to-hint`}>
            {toIso ? t('form.utcEcho', { time: formatUtc(toIso) }) : t('form.toEmpty')}
          </span>
        </div>
      </fieldset>
      <MarkingEditor
        me={p.me}
        legend={t('marking.legend')}
        value={values.marking}
        onChange={(m) => set('marking', m)}
      />
      <FormErrors error={error} testId="zone-form-error" />
      <div className="form__actions">
        <button type="submit" className="button button--primary" data-testid="zone-save" disabled={busy}>
          {busy ? t('form.saving') : t('form.save')}
        </button>
        <button type="button" className="button button--secondary" onClick={p.onCancel} disabled={busy}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
