import { useEffect, useId, useState } from 'react';
import type { IncidentAction } from '../../../domain/incident-workflow';
import { partiesToNotify, releasedToParty } from '../../../domain/incident-workflow';
import type { IncidentDetail, MergeCandidate } from '../../../domain/incidents';
import { t } from '../../i18n/t';
import type { ActionBody } from './incidentsApi';
import { incidentsApi } from './incidentsApi';
import { partyLabel } from './labels';

/** Actions that need a form before they are sent; the others are one click. */
const WITH_FORM: readonly IncidentAction[] = ['return', 'reopen', 'record-response', 'merge'];

interface IncidentActionsProps {
  detail: IncidentDetail;
  /** Actions another part of the page renders (submit for review sits with the assessment editor). */
  skip?: readonly IncidentAction[];
  busy: boolean;
  /** A party liaison's own party: they answer for it and no other. */
  ownParty?: string | null;
  run(action: IncidentAction, body?: ActionBody): Promise<boolean>;
}

/** The workflow buttons: only the actions the server says this viewer may take now, with their fields. */
export function IncidentActions({ detail, skip = [], busy, ownParty = null, run }: IncidentActionsProps) {
  const id = useId();
  const actions = detail.allowedActions.filter((a) => !skip.includes(a));
  const [open, setOpen] = useState<IncidentAction | null>(null);
  const [note, setNote] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const [candidates, setCandidates] = useState<MergeCandidate[] | null>(null);
  const p = detail.feature.properties;
  const responseParties = ownParty
    ? [ownParty]
    : p.notifiedParties.length
      ? p.notifiedParties
      : partiesToNotify(p);
  const [party, setParty] = useState(responseParties[0] ?? '');
  const incidentId = detail.feature.id;
  // Only parties whose liaisons may read the incident are told (the server says the same).
  const toNotify = partiesToNotify(p).filter((x) => releasedToParty(p.marking, x));

  useEffect(() => {
    if (open !== 'merge') return;
    let live = true;
    setCandidates(null);
    incidentsApi.candidates(incidentId).then(
      (list) => live && setCandidates(list.filter((c) => c.incidentId !== incidentId)),
      () => live && setCandidates([]),
    );
    return () => {
      live = false;
    };
  }, [open, incidentId]);

  if (actions.length === 0) return <p className="muted">{t('incident.noActions')}</p>;

  const start = (a: IncidentAction) => {
    setOpen(a);
    setNote('');
    setDuplicateOf('');
  };
  const finish = async (a: IncidentAction, body: ActionBody = {}) => {
    if (await run(a, body)) setOpen(null);
  };

  return (
    <div className="incident-actions" data-testid="incident-actions">
      <div className="form__actions">
        {actions.map((a) => (
          <button
            key={a}
            type="button"
            className={`button ${a === actions[0] ? 'button--primary' : 'button--secondary'}`}
            disabled={busy}
            aria-expanded={WITH_FORM.includes(a) ? open === a : undefined}
            data-testid={`incident-action-${a}`}
            onClick={() => (WITH_FORM.includes(a) ? start(a) : void finish(a))}
          >
            {a === 'notify-parties' && toNotify.length
              ? t('incident.do.notify-parties-to', { parties: toNotify.join(', ') })
              : t(`incident.do.${a}`)}
          </button>
        ))}
      </div>
      {open && (
        <form
          className="incident-actions__form"
          data-testid="incident-action-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (open === 'merge') void finish(open, { duplicateOf });
            else if (open === 'record-response')
              void finish(open, { response: note.trim(), ...(party ? { party } : {}) });
            else void finish(open, { note: note.trim() });
          }}
        >
          {open === 'merge' ? (
            <div className="field">
              <label className="field__label" htmlFor={`${id}-dup`}>
                {t('incident.duplicatePick')}
              </label>
              {candidates !== null && candidates.length === 0 ? (
                <p className="muted">{t('incident.duplicateNone')}</p>
              ) : (
                <select
                  id={`${id}-dup`}
                  className="field__input"
                  required
                  disabled={candidates === null}
                  value={duplicateOf}
                  data-testid="incident-duplicate"
                  onChange={(e) => setDuplicateOf(e.target.value)}
                >
                  <option value="">
                    {candidates === null ? t('incident.duplicateLoading') : t('incident.duplicateChoose')}
                  </option>
                  {(candidates ?? []).map((c) => (
                    <option key={c.incidentId} value={c.incidentId}>
                      {c.number} — {c.title}
                    </option>
                  ))}
                </select>
              )}
            </div>
          ) : (
            <>
              {open === 'record-response' && responseParties.length > 1 && (
                <div className="field">
                  <label className="field__label" htmlFor={`${id}-party`}>
                    {t('incident.responseParty')}
                  </label>
                  <select
                    id={`${id}-party`}
                    className="field__input"
                    value={party}
                    onChange={(e) => setParty(e.target.value)}
                  >
                    {responseParties.map((x) => (
                      <option key={x} value={x}>
                        {partyLabel(x)}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <div className="field">
                <label className="field__label" htmlFor={`${id}-note`}>
                  {open === 'record-response' ? t('incident.response') : t('incident.noteRequired')}
                </label>
                <textarea
                  id={`${id}-note`}
                  className="field__input field__textarea"
                  rows={3}
                  maxLength={4000}
                  required
                  value={note}
                  data-testid="incident-action-note"
                  onChange={(e) => setNote(e.target.value)}
                  // biome-ignore lint/a11y/noAutofocus: the user just asked to write it.
                  autoFocus
                />
              </div>
            </>
          )}
          <div className="form__actions">
            <button
              type="submit"
              className="button button--primary"
              disabled={busy || (open === 'merge' ? !duplicateOf : !note.trim())}
              data-testid="incident-action-confirm"
            >
              {t(`incident.do.${open}`).replace(/…$/, '')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setOpen(null)}>
              {t('incident.do.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
