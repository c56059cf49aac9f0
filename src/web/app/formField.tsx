import type { ReactNode } from 'react';

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
