import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';

/**
 * The labelled field of the app's forms: `field(key, label, control, hint?)` renders the label
 * bound to the control whose id is `${formId}-${key}`, and the hint under it.
 */
export function fieldFor(formId: string) {
  return (key: string, label: string, control: ReactNode, hint?: string) => (
    <div className="field">
      <label className="field__label" htmlFor={`${formId}-${key}`}>
        {label}
      </label>
      {control}
      {hint && <span className="field__hint">{hint}</span>}
    </div>
  );
}

/** The draft's properties that hold text (what an input or a select edits). */
type TextOf<D> = { [K in keyof D]: D[K] extends string ? K : never }[keyof D];

/**
 * Inputs and selects bound to one property of a form's draft, with the id `fieldFor` labels:
 * `input(key, prop, attrs?)` and `select(key, prop, values, labelOf, attrs?)` (`empty` adds a
 * first option with the value "" and that label).
 */
export function draftControls<D>(formId: string, draft: D, set: <K extends keyof D>(k: K, v: D[K]) => void) {
  return {
    input: <K extends TextOf<D>>(key: string, prop: K, attrs: InputHTMLAttributes<HTMLInputElement> = {}) => (
      <input
        id={`${formId}-${key}`}
        className="field__input"
        {...attrs}
        value={draft[prop] as string}
        onChange={(e) => set(prop, e.target.value as D[K])}
      />
    ),
    select: <K extends TextOf<D>, V extends string>(
      key: string,
      prop: K,
      values: readonly V[],
      labelOf: (v: V) => string,
      attrs: SelectHTMLAttributes<HTMLSelectElement> & { empty?: string } = {},
    ) => {
      const { empty, ...rest } = attrs;
      return (
        <select
          id={`${formId}-${key}`}
          className="field__input"
          {...rest}
          value={draft[prop] as string}
          onChange={(e) => set(prop, e.target.value as D[K])}
        >
          {empty !== undefined && <option value="">{empty}</option>}
          {values.map((v) => (
            <option key={v} value={v}>
              {labelOf(v)}
            </option>
          ))}
        </select>
      );
    },
  };
}

interface RecordFormProps {
  /** The form's `useId()`: its title is `${id}-title`, the fields' ids start with it. */
  id: string;
  className: string;
  testId: string;
  title: string;
  /** Shows the title; otherwise only screen readers announce it. */
  showTitle?: boolean;
  onSubmit(): void;
  children: ReactNode;
}

/**
 * The form that records something (an incident report, a notification, a facility), named by its
 * title. Validation is the server's, so the browser's own is off.
 */
export function RecordForm({ id, className, testId, title, showTitle, onSubmit, children }: RecordFormProps) {
  return (
    <form
      className={className}
      data-testid={testId}
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h3 id={`${id}-title`} className={showTitle ? 'section__title' : 'visually-hidden'}>
        {title}
      </h3>
      {children}
    </form>
  );
}
