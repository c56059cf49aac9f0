import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api';

/** What a record page says after an action: done, refused, or someone else changed it first. */
export type PageNotice = { kind: 'ok' | 'error' | 'conflict'; text: string };

interface Versioned<F> {
  feature: F & { properties: { version: number } };
}

export interface RecordPageTexts {
  loadFailed(detail: string): string;
  conflict(): string;
  actionFailed(detail: string): string;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * One record on a page of its own (an incident, a notification): loaded by id, reloaded when the
 * live feed shows a newer version, changed by `send`, which answers a version conflict (409) by
 * reloading and saying so. `isConflict` tells a 409 that is a refusal rather than a conflict.
 */
export function useRecordPage<F, D extends Versioned<F>>(o: {
  id: string;
  get(id: string): Promise<D>;
  liveVersion: number | null;
  onChanged(feature: D['feature']): void;
  texts: RecordPageTexts;
  isConflict?(e: ApiError): boolean;
}) {
  const { id, get, liveVersion, onChanged, texts, isConflict } = o;
  const [detail, setDetail] = useState<D | null>(null);
  const [loadError, setLoadError] = useState<{ status: number; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<PageNotice | null>(null);

  const load = useCallback(
    () =>
      get(id).then(
        (d) => {
          setDetail(d);
          setLoadError(null);
        },
        (e: unknown) =>
          setLoadError({ status: e instanceof ApiError ? e.status : 0, text: texts.loadFailed(message(e)) }),
      ),
    [id, get, texts],
  );

  useEffect(() => {
    setDetail(null);
    setNotice(null);
    void load();
  }, [load]);

  // A newer version on the live feed (someone acted on it) reloads the record shown.
  const shownVersion = detail?.feature.properties.version ?? null;
  useEffect(() => {
    if (liveVersion !== null && shownVersion !== null && liveVersion > shownVersion) void load();
  }, [liveVersion, shownVersion, load]);

  /**
   * Sends a change; returns whether it went through. With `rethrow`, a refusal other than a
   * conflict is thrown back instead of shown on the page, for a form that lists it by its fields.
   */
  const send = useCallback(
    async (change: () => Promise<D>, done: string, opts: { rethrow?: boolean } = {}): Promise<boolean> => {
      setBusy(true);
      setNotice(null);
      try {
        const d = await change();
        setDetail(d);
        onChanged(d.feature);
        setNotice({ kind: 'ok', text: done });
        return true;
      } catch (e) {
        if (e instanceof ApiError && e.status === 409 && (isConflict?.(e) ?? true)) {
          await load();
          setNotice({ kind: 'conflict', text: texts.conflict() });
        } else if (opts.rethrow) throw e;
        else setNotice({ kind: 'error', text: texts.actionFailed(message(e)) });
        return false;
      } finally {
        setBusy(false);
      }
    },
    [load, onChanged, texts, isConflict],
  );

  return { detail, loadError, busy, notice, send };
}
