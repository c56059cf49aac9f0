import { type FormEvent, useId, useState } from 'react';
import { CROSSING_STATUSES, type CrossingStatus } from '../../../domain/crossings';
import { ApiError } from '../../app/api';
import { t } from '../../i18n/t';
import { aidApi, type BoardCrossing } from './aidApi';
import { crossingStatusLabel } from './labels';

/** Opens, restricts or closes a crossing; a reason is asked unless it opens. */
export function CrossingStatusForm({
  crossing,
  onDone,
  onStale,
}: {
  crossing: BoardCrossing;
  onDone(changed: boolean): void;
  /** The crossing changed meanwhile: the board reloads and the form stays open. */
  onStale(): void;
}) {
  const id = useId();
  const [status, setStatus] = useState<CrossingStatus>(crossing.status);
  const [reason, setReason] = useState(crossing.status === 'open' ? '' : (crossing.reason ?? ''));
  const [until, setUntil] = useState('');
  const [opensAt, setOpensAt] = useState(crossing.opensAt ?? '');
  const [closesAt, setClosesAt] = useState(crossing.closesAt ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const needsReason = status !== 'open';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (needsReason && !reason.trim()) {
      setError(t('aid.crossings.reasonRequired'));
      return;
    }
    setBusy(true);
    try {
      await aidApi.setStatus(crossing.id, {
        version: crossing.version,
        status,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(opensAt ? { opensAt } : {}),
        ...(closesAt ? { closesAt } : {}),
        ...(until && needsReason ? { until: new Date(`${until}Z`).toISOString() } : {}),
      });
      onDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setError(t('aid.crossings.stale'));
        onStale();
      } else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="aid-form"
      onSubmit={submit}
      data-testid="crossing-form"
      aria-label={t('aid.crossings.change')}
    >
      <fieldset className="aid-radios">
        <legend className="field__label">{t('aid.crossings.status')}</legend>
        {CROSSING_STATUSES.map((s) => (
          <label key={s} className="aid-radio">
            <input
              type="radio"
              name={`${id}-status`}
              value={s}
              checked={status === s}
              onChange={() => setStatus(s)}
            />
            {crossingStatusLabel(s)}
          </label>
        ))}
      </fieldset>
      <label className="field" htmlFor={`${id}-reason`}>
        <span className="field__label">
          {needsReason ? t('aid.reasonRequired') : t('aid.reasonOptional')}
        </span>
        <textarea
          id={`${id}-reason`}
          className="field__input field__textarea"
          value={reason}
          aria-required={needsReason}
          aria-invalid={Boolean(error) && needsReason && !reason.trim()}
          onChange={(e) => setReason(e.target.value)}
          rows={2}
        />
      </label>
      <div className="aid-form__row">
        <label className="field" htmlFor={`${id}-opens`}>
          <span className="field__label">{t('aid.crossings.opensAt')}</span>
          <input
            id={`${id}-opens`}
            className="field__input"
            type="time"
            value={opensAt}
            onChange={(e) => setOpensAt(e.target.value)}
          />
        </label>
        <label className="field" htmlFor={`${id}-closes`}>
          <span className="field__label">{t('aid.crossings.closesAt')}</span>
          <input
            id={`${id}-closes`}
            className="field__input"
            type="time"
            value={closesAt}
            onChange={(e) => setClosesAt(e.target.value)}
          />
        </label>
      </div>
      {needsReason && (
        <label className="field" htmlFor={`${id}-until`}>
          <span className="field__label">{t('aid.crossings.untilUtc')}</span>
          <input
            id={`${id}-until`}
            className="field__input"
            type="datetime-local"
            value={until}
            onChange={(e) => setUntil(e.target.value)}
          />
        </label>
      )}
      {error && (
        <p className="error-text" role="alert" data-testid="crossing-error">
          {error}
        </p>
      )}
      <div className="form__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={busy}
          data-testid="crossing-submit"
        >
          {t('aid.crossings.save')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => onDone(false)}>
          {t('aid.cancel')}
        </button>
      </div>
    </form>
  );
}
