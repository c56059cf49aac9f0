import { useEffect, useId, useState } from 'react';
import { allowedActions } from '../../../domain/alert-status';
import { ApiError } from '../../app/api';
import { t } from '../../i18n/t';
import { type Assignee, alertsApi } from './alertsApi';
import type { AlertFeature } from './types';

/** The "unassign" choice of the picker: no username starts with an underscore. */
const NOBODY = '__nobody__';

interface AlertActionsProps {
  alert: AlertFeature;
  username: string;
  /** The server's answer to an action: the alert as it is now. */
  onChanged(alert: AlertFeature): void;
  /** Fetches the alert again after someone else changed it. */
  onReload(): Promise<void>;
}

/** Acknowledge, assign, resolve (with a note), reopen: only the actions the status allows. */
export function AlertActions({ alert, username, onChanged, onReload }: AlertActionsProps) {
  const p = alert.properties;
  const allowed = allowedActions(p.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<number | null>(null);
  const [resolving, setResolving] = useState(false);
  const [note, setNote] = useState('');
  const [assignees, setAssignees] = useState<Assignee[] | null>(null);
  const noteId = useId();
  const pickId = useId();
  const id = alert.id;

  // Another alert, another form; a newer version of this one (live) clears a stale refusal.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the alert changes, not on every render.
  useEffect(() => {
    setResolving(false);
    setNote('');
    setError(null);
    setAssignees(null);
  }, [id]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version may resolve the conflict.
  useEffect(() => {
    if (conflict !== null && p.version >= conflict) setConflict(null);
  }, [p.version]);

  const canAssign = allowed.includes('assign');
  useEffect(() => {
    if (!canAssign) return;
    let live = true;
    alertsApi.assignees(id).then(
      (list) => live && setAssignees(list),
      () => live && setAssignees([]),
    );
    return () => {
      live = false;
    };
  }, [id, canAssign]);

  async function run(action: () => Promise<AlertFeature>) {
    setBusy(true);
    setError(null);
    try {
      onChanged(await action());
      setResolving(false);
      setNote('');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict(e.problem?.currentVersion ?? 0);
      else setError(t('alerts.failed', { detail: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  }

  if (conflict !== null) {
    return (
      <div className="conflict" role="alert" data-testid="alert-conflict">
        <p>{conflict > 0 ? t('alerts.conflict', { version: conflict }) : t('alerts.conflictNoVersion')}</p>
        <button
          type="button"
          className="button button--secondary"
          data-testid="alert-reload"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            onReload().finally(() => {
              setBusy(false);
              setConflict(null);
            });
          }}
        >
          {t('alerts.reload')}
        </button>
      </div>
    );
  }

  const v = p.version;
  return (
    <div className="alert-actions" data-testid="alert-actions">
      <div className="alert-actions__row">
        {allowed.includes('acknowledge') && (
          <button
            type="button"
            className="button button--primary"
            data-testid="alert-acknowledge"
            disabled={busy}
            onClick={() => void run(() => alertsApi.acknowledge(id, v))}
          >
            {t('alerts.acknowledge')}
          </button>
        )}
        {allowed.includes('resolve') && !resolving && (
          <button
            type="button"
            className="button button--secondary"
            data-testid="alert-resolve"
            disabled={busy}
            onClick={() => setResolving(true)}
          >
            {t('alerts.resolve')}
          </button>
        )}
        {allowed.includes('reopen') && (
          <button
            type="button"
            className="button button--secondary"
            data-testid="alert-reopen"
            disabled={busy}
            onClick={() => void run(() => alertsApi.reopen(id, v))}
          >
            {t('alerts.reopen')}
          </button>
        )}
        {allowed.includes('assign') && p.assignee !== username && (
          <button
            type="button"
            className="button button--secondary"
            data-testid="alert-assign-me"
            disabled={busy}
            onClick={() => void run(() => alertsApi.assign(id, v, username))}
          >
            {t('alerts.assignMe')}
          </button>
        )}
      </div>
      {resolving && (
        <form
          className="alert-actions__resolve"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => alertsApi.resolve(id, v, note.trim()));
          }}
        >
          <label htmlFor={noteId}>{t('alerts.resolveNote')}</label>
          <textarea
            id={noteId}
            className="alert-actions__note"
            data-testid="alert-note"
            rows={3}
            maxLength={4000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            // biome-ignore lint/a11y/noAutofocus: the user just asked to write the note.
            autoFocus
          />
          <div className="alert-actions__row">
            <button
              type="submit"
              className="button button--primary"
              data-testid="alert-resolve-confirm"
              disabled={busy}
            >
              {t('alerts.resolveConfirm')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setResolving(false)}>
              {t('alerts.cancel')}
            </button>
          </div>
        </form>
      )}
      {allowed.includes('assign') && (
        <div className="alert-actions__assign">
          <label htmlFor={pickId}>{t('alerts.assignTo')}</label>
          <select
            id={pickId}
            data-testid="alert-assign-pick"
            disabled={busy || assignees === null}
            value=""
            onChange={(e) => {
              const who = e.target.value;
              if (who === NOBODY) void run(() => alertsApi.assign(id, v, null));
              else if (who) void run(() => alertsApi.assign(id, v, who));
            }}
          >
            <option value="">
              {assignees === null ? t('alerts.assignLoading') : t('alerts.assignPick')}
            </option>
            {(assignees ?? []).map((u) => (
              <option key={u.username} value={u.username}>
                {u.displayName} ({u.username}, {u.organisation})
              </option>
            ))}
            {p.assignee && <option value={NOBODY}>{t('alerts.unassign')}</option>}
          </select>
        </div>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
