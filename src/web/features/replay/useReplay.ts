import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Marking } from '../../../domain/marking';
import type { ReplayAlert } from './alerts';
import { ReplayClock } from './clock';
import { toModel } from './model';
import { fetchReplay, fetchReplayAlerts } from './replayApi';
import type { ReplayScene } from './scene';
import type { ReplayRange } from './windows';

export type ReplayStatus = 'idle' | 'loading' | 'ready' | 'failed';

/** Alerts of the window: loaded, not offered by this server, or failed (replay goes on without). */
export type ReplayAlerts =
  | { kind: 'loaded'; alerts: readonly ReplayAlert[] }
  | { kind: 'unavailable' }
  | { kind: 'failed'; detail: string };

export interface ReplayController {
  open: boolean;
  status: ReplayStatus;
  error: string | null;
  scene: ReplayScene | null;
  alerts: ReplayAlerts | null;
  /** Markings of what replay puts on screen (positions and alerts), for the banners. */
  markings: readonly Marking[];
  start(): void;
  /** Back to live: the replay and its clock are dropped. */
  stop(): void;
  load(range: ReplayRange): void;
}

const NO_MARKINGS: readonly Marking[] = [];
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Replay mode: whether it is on, the loaded window, and loading it. */
export function useReplay(): ReplayController {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<ReplayStatus>('idle');
  const [error, setError] = useState<string | null>(null);
  const [scene, setScene] = useState<ReplayScene | null>(null);
  const [alerts, setAlerts] = useState<ReplayAlerts | null>(null);
  // Only the latest load may land: an earlier, slower answer must not replace it.
  const attempt = useRef(0);

  // A replaced or closed scene stops its animation.
  useEffect(() => () => scene?.clock.dispose(), [scene]);

  const start = useCallback(() => setOpen(true), []);
  const stop = useCallback(() => {
    attempt.current++;
    setOpen(false);
    setStatus('idle');
    setError(null);
    setScene(null);
    setAlerts(null);
  }, []);

  const load = useCallback((range: ReplayRange) => {
    const mine = ++attempt.current;
    setStatus('loading');
    setError(null);
    const alertsAnswer = fetchReplayAlerts(range.from, range.to).then(
      (list): ReplayAlerts => (list ? { kind: 'loaded', alerts: list } : { kind: 'unavailable' }),
      (e: unknown): ReplayAlerts => ({ kind: 'failed', detail: message(e) }),
    );
    Promise.all([fetchReplay(range.from, range.to), alertsAnswer]).then(
      ([w, a]) => {
        if (mine !== attempt.current) return;
        const model = toModel(w);
        setScene({
          model,
          alerts: a.kind === 'loaded' ? a.alerts : [],
          clock: new ReplayClock(model.from, model.to),
        });
        setAlerts(a);
        setStatus('ready');
      },
      (e: unknown) => {
        if (mine !== attempt.current) return;
        setStatus('failed');
        setError(message(e));
      },
    );
  }, []);

  const markings = useMemo(() => {
    if (!scene) return NO_MARKINGS;
    const list: Marking[] = scene.model.tracks.length ? [scene.model.marking] : [];
    for (const a of scene.alerts) if (a.marking) list.push(a.marking);
    return list;
  }, [scene]);

  return { open, status, error, scene, alerts, markings, start, stop, load };
}
