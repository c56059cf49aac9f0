import { severityLabel } from './labels';
import type { AlertSeverity } from './types';

/** Severity as a coloured tag with its word: colour is never the only signal. */
export function SeverityTag({ severity }: { severity: AlertSeverity }) {
  return (
    <span className={`severity severity--${severity}`} data-severity={severity}>
      {severityLabel(severity)}
    </span>
  );
}
