import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { highestSeverity } from '../../../domain/alert-status';
import type { LiveServerMessage } from '../../../domain/events';
import { atMostEvery } from '../../app/atMostEvery';
import { AlertStore } from './alertStore';
import { alertsApi } from './alertsApi';
import { beep, setSoundEnabled, soundEnabled } from './sound';
import { ALERT_SEVERITIES, type AlertCounts, type AlertSeverity } from './types';

/** Live changes come in bursts (a convoy crossing a line): at most one count request per interval. */
const COUNTS_EVERY_MS = 400;

/**
 * The alerts of the picture: the store the live feed fills, the counts the bell shows (from the
 * server, so alerts older than the live window count too) and the optional sound.
 */
export function useAlerts() {
  const store = useMemo(() => new AlertStore(), []);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [counts, setCounts] = useState<AlertCounts | null>(null);
  const [sound, setSound] = useState(soundEnabled);
  const soundRef = useRef(sound);
  useEffect(() => {
    soundRef.current = sound;
  }, [sound]);
  const counter = useMemo(
    () => atMostEvery(() => alertsApi.counts().then(setCounts, () => undefined), COUNTS_EVERY_MS),
    [],
  );
  const refreshCounts = counter.request;

  useEffect(() => {
    alertsApi.counts().then(setCounts, () => undefined);
    return counter.cancel;
  }, [counter]);

  useEffect(
    () =>
      store.onArrival((a) => {
        if (soundRef.current && a.properties.severity === 'critical' && a.properties.status === 'open')
          beep();
      }),
    [store],
  );

  const apply = useCallback(
    (msg: LiveServerMessage) => {
      if (store.apply(msg) && msg.type !== 'heartbeat') refreshCounts();
    },
    [store, refreshCounts],
  );

  const toggleSound = useCallback(() => {
    setSound((on) => {
      setSoundEnabled(!on);
      // A click is the user gesture browsers want before audio may play: a short confirmation.
      if (!on) beep();
      return !on;
    });
  }, []);

  const open = counts?.open ?? 0;
  const worst: AlertSeverity | null = counts
    ? highestSeverity(ALERT_SEVERITIES.filter((s) => counts.openBySeverity[s] > 0))
    : null;

  return { store, ...state, apply, counts, open, worst, sound, toggleSound, refreshCounts };
}
export type AlertsModel = ReturnType<typeof useAlerts>;
