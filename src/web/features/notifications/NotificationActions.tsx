import { useId, useState } from 'react';
import {
  NOTIFICATION_TRANSITIONS,
  type NotificationAction,
  type NotificationFeature,
} from '../../../domain/deconfliction';
import { t } from '../../i18n/t';
import { actionLabel } from './labels';
import type { NotificationActionBody } from './notificationsApi';

interface NotificationActionsProps {
  feature: NotificationFeature;
  busy: boolean;
  /** Sends the action; resolves to whether it went through. */
  run(action: NotificationAction, body?: NotificationActionBody): Promise<boolean>;
}

const needsForm = (a: NotificationAction) => NOTIFICATION_TRANSITIONS[a].requires.length > 0;

/** Only the actions the server says this viewer may take now, each with the fields it needs. */
export function NotificationActions({ feature, busy, run }: NotificationActionsProps) {
  const id = useId();
  const actions = feature.properties.allowedActions ?? [];
  const [open, setOpen] = useState<NotificationAction | null>(null);
  const [reason, setReason] = useState('');
  const [delay, setDelay] = useState('');
  if (actions.length === 0) return null;

  const finish = async (a: NotificationAction, body: NotificationActionBody = {}) => {
    if (await run(a, body)) setOpen(null);
  };
  const requires = open ? NOTIFICATION_TRANSITIONS[open].requires : [];
  const ready =
    (!requires.includes('reason') || reason.trim() !== '') &&
    (!requires.includes('delayMinutes') || (delay.trim() !== '' && Number(delay) >= 0));

  return (
    <div className="notification-actions" data-testid="notification-actions">
      <div className="form__actions">
        {actions.map((a, i) => (
          <button
            key={a}
            type="button"
            className={`button ${i === 0 ? 'button--primary' : a === 'deny' || a === 'cancel' ? 'button--danger' : 'button--secondary'}`}
            disabled={busy}
            aria-expanded={needsForm(a) ? open === a : undefined}
            data-testid={`notification-action-${a}`}
            onClick={() => {
              if (needsForm(a)) {
                setOpen(a);
                setReason('');
                setDelay('');
              } else void finish(a);
            }}
          >
            {actionLabel(a)}
          </button>
        ))}
      </div>
      {open && (
        <form
          className="incident-actions__form"
          data-testid="notification-action-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!ready) return;
            void finish(open, {
              ...(requires.includes('reason') ? { reason: reason.trim() } : {}),
              ...(requires.includes('delayMinutes') ? { delayMinutes: Math.floor(Number(delay)) } : {}),
            });
          }}
        >
          {requires.includes('reason') && (
            <div className="field">
              <label className="field__label" htmlFor={`${id}-reason`}>
                {t('notification.reason')}
              </label>
              <textarea
                id={`${id}-reason`}
                className="field__input field__textarea"
                rows={3}
                maxLength={4000}
                required
                value={reason}
                data-testid="notification-action-reason"
                onChange={(e) => setReason(e.target.value)}
                // biome-ignore lint/a11y/noAutofocus: the user just asked to write it.
                autoFocus
              />
            </div>
          )}
          {requires.includes('delayMinutes') && (
            <div className="field">
              <label className="field__label" htmlFor={`${id}-delay`}>
                {t('notification.delayMinutes')}
              </label>
              <input
                id={`${id}-delay`}
                className="field__input"
                type="number"
                min={0}
                max={10080}
                required
                value={delay}
                data-testid="notification-action-delay"
                onChange={(e) => setDelay(e.target.value)}
              />
            </div>
          )}
          <div className="form__actions">
            <button
              type="submit"
              className="button button--primary"
              disabled={busy || !ready}
              data-testid="notification-action-confirm"
            >
              {actionLabel(open).replace(/…$/, '')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setOpen(null)}>
              {t('notifications.do.back')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
