import { useEffect, useRef, useState } from 'react';
import { t } from '../../../i18n/t';

/** A 409 from the server, or a newer version seen on the live feed: never overwrite, reload first. */
export function ConflictNotice({
  version,
  onReload,
  refusals,
}: {
  version: number;
  onReload(): Promise<void>;
  /** How many saves the server refused; each one brings the notice into view with Reload focused. */
  refusals: number;
}) {
  const [busy, setBusy] = useState(false);
  const boxRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  // The notice sits at the top of a long form, far from the Save button just pressed. Seen first on
  // the live feed (no refusal yet) it stays put, so as not to pull the form away from someone typing.
  useEffect(() => {
    if (refusals === 0) return;
    boxRef.current?.scrollIntoView({ block: 'nearest' });
    buttonRef.current?.focus({ preventScroll: true });
  }, [refusals]);
  return (
    <div className="conflict" role="alert" data-testid="conflict-message" ref={boxRef}>
      <p>{version > 0 ? t('conflict.message', { version }) : t('conflict.messageNoVersion')}</p>
      <button
        type="button"
        className="button button--secondary"
        data-testid="conflict-reload"
        ref={buttonRef}
        disabled={busy}
        onClick={() => {
          setBusy(true);
          onReload().finally(() => setBusy(false));
        }}
      >
        {t('conflict.reload')}
      </button>
    </div>
  );
}
