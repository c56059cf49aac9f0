import type { ReactNode } from 'react';

/** One attribute of a record in a details list. */
export function DetailRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="details__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The × that closes a side panel; the label is what a screen reader announces. */
export function CloseButton({ label, onClose }: { label: string; onClose(): void }) {
  return (
    <button type="button" className="icon-button" onClick={onClose} aria-label={label} title={label}>
      <span aria-hidden="true">×</span>
    </button>
  );
}
