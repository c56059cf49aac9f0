import { useState } from 'react';
import type { FormError } from '../features/zones/editing/FormErrors';
import { fieldProblems } from './api';

type Built<I> = { input: I } | { problem: string };

/**
 * A form's draft and its sending: `set(k, v)` edits one property; `send(act)` builds the input
 * from the draft (a problem is shown and nothing sent), runs `act` with it while the form is busy,
 * and shows why it failed, field by field where the server said.
 */
export function useDraftForm<D, I>(
  initial: () => D,
  build: (draft: D) => Built<I>,
  failed: (detail: string) => string,
) {
  const [draft, setDraft] = useState<D>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const set = <K extends keyof D>(k: K, v: D[K]) => setDraft((d) => ({ ...d, [k]: v }));

  async function send(act: (input: I) => Promise<void>): Promise<void> {
    const built = build(draft);
    if ('problem' in built) {
      setError({ detail: built.problem, problems: [] });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await act(built.input);
    } catch (e) {
      setError({ detail: failed(e instanceof Error ? e.message : String(e)), problems: fieldProblems(e) });
    } finally {
      setBusy(false);
    }
  }

  return { draft, setDraft, set, busy, error, send };
}
