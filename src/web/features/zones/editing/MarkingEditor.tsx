import { useId, useMemo, useState } from 'react';
import { formatMarking, RELEASABLE_TO_ALL } from '../../../../domain/marking';
import type { Me } from '../../../app/auth';
import { MarkingBadge } from '../../../app/MarkingBadge';
import { t } from '../../../i18n/t';
import {
  classificationsFor,
  includesOwn,
  isClassification,
  type MarkingDraft,
  markingFromDraft,
  type RelOption,
  relOptions,
} from './markingDraft';
import { useOrganisations } from './useOrganisations';

interface MarkingEditorProps {
  value: MarkingDraft;
  onChange(next: MarkingDraft): void;
  me: Me;
  legend: string;
}

/**
 * Classification (up to the person's clearance), releasability as a list of chips, caveats the
 * person holds, and the marking as it will be written. The person's own nation or organisation
 * cannot be removed: the server only accepts records released to their writer.
 */
export function MarkingEditor({ value, onChange, me, legend }: MarkingEditorProps) {
  const orgs = useOrganisations();
  const classId = useId();
  const hintId = useId();
  const [blocked, setBlocked] = useState<string | null>(null);
  // Codes of the marking as first shown stay offered even if unticked, so a slip can be undone.
  const [initial] = useState(() => new Set(value.selected));
  const [initialCaveats] = useState(() => value.caveats);
  const options = useMemo(
    () => relOptions(orgs.status === 'loaded' ? orgs.list : [], me, initial),
    [orgs, me, initial],
  );
  const caveatOptions = useMemo(
    () => [...new Set([...me.caveats, ...initialCaveats])].sort(),
    [me.caveats, initialCaveats],
  );
  const allOn = value.selected.has(RELEASABLE_TO_ALL);
  const own = new Set(me.principals);

  function toggle(code: string) {
    const next = new Set(value.selected);
    if (next.has(code)) {
      next.delete(code);
      if (code === RELEASABLE_TO_ALL && !includesOwn({ ...value, selected: next }, me)) {
        next.add(me.nation ?? me.organisation);
      } else if (!includesOwn({ ...value, selected: next }, me)) {
        setBlocked(code);
        return;
      }
    } else {
      next.add(code);
    }
    setBlocked(null);
    onChange({ ...value, selected: next });
  }

  function toggleCaveat(code: string) {
    const next = new Set(value.caveats);
    if (next.has(code)) next.delete(code);
    else next.add(code);
    onChange({ ...value, caveats: next });
  }

  const chip = (o: RelOption) => {
    const mine = own.has(o.code);
    return (
      <label
        key={o.code}
        className={`chip${mine ? ' chip--own' : ''}`}
        title={mine ? t('marking.ownTitle', { name: o.title }) : o.title}
      >
        <input
          type="checkbox"
          checked={value.selected.has(o.code)}
          disabled={allOn}
          onChange={() => toggle(o.code)}
          data-testid={`marking-rel-${o.code}`}
          aria-describedby={blocked === o.code ? hintId : undefined}
        />
        <span>{o.code}</span>
      </label>
    );
  };

  return (
    <fieldset className="marking-editor">
      <legend className="form__legend">{legend}</legend>
      <div className="field">
        <label className="field__label" htmlFor={classId}>
          {t('marking.classification')}
        </label>
        <select
          id={classId}
          className="field__input"
          data-testid="marking-classification"
          value={value.classification}
          onChange={(e) => {
            if (isClassification(e.target.value)) onChange({ ...value, classification: e.target.value });
          }}
        >
          {classificationsFor(me).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <span className="field__hint">{t('marking.clearanceHint', { clearance: me.clearance })}</span>
      </div>
      <fieldset className="rel">
        <legend className="field__label">{t('marking.releasableTo')}</legend>
        <div className="chips">
          <label className="chip chip--all" title={t('marking.allTitle')}>
            <input
              type="checkbox"
              checked={allOn}
              onChange={() => toggle(RELEASABLE_TO_ALL)}
              data-testid={`marking-rel-${RELEASABLE_TO_ALL}`}
            />
            <span>{t('marking.all')}</span>
          </label>
        </div>
        {allOn && <p className="field__hint">{t('marking.allHint')}</p>}
        <span className="rel__group">{t('marking.nations')}</span>
        <div className="chips">{options.nations.map(chip)}</div>
        <span className="rel__group">{t('marking.organisations')}</span>
        <div className="chips">{options.organisations.map(chip)}</div>
        {orgs.status === 'loading' && <p className="field__hint">{t('marking.orgsLoading')}</p>}
        {orgs.status === 'failed' && (
          <p className="field__hint error-text">{t('marking.orgsFailed', { detail: orgs.detail })}</p>
        )}
        <p className="hint-box" id={hintId} role="status" data-testid="marking-own-hint" hidden={!blocked}>
          {blocked
            ? t('marking.keepOwn', { code: blocked, own: me.principals.join(t('list.separator')) })
            : ''}
        </p>
      </fieldset>
      {caveatOptions.length > 0 && (
        <fieldset className="rel">
          <legend className="field__label">{t('marking.caveats')}</legend>
          <div className="chips">
            {caveatOptions.map((c) => (
              <label key={c} className="chip">
                <input type="checkbox" checked={value.caveats.has(c)} onChange={() => toggleCaveat(c)} />
                <span>{c}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <div className="marking-editor__result">
        <span className="field__label">{t('marking.result')}</span>
        <output data-testid="marking-preview" aria-live="polite">
          <MarkingBadge text={formatMarking(markingFromDraft(value))} />
        </output>
      </div>
    </fieldset>
  );
}
