import { type ReactNode, useEffect, useRef } from 'react';

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

/**
 * Focus for a details panel: on close it returns where it came from (list entry or map), not to
 * the page top; on open, and for each record shown (`key`), it moves to the heading, which tells
 * keyboard and screen-reader users where the details went. Returns the heading's ref.
 */
export function useDetailsFocus(key: string) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Declared before the heading effect so it records the focus before the heading takes it.
  useEffect(() => {
    const previous = document.activeElement;
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
    };
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus once per record opened, not per update.
  useEffect(() => {
    headingRef.current?.focus();
  }, [key]);
  return headingRef;
}
