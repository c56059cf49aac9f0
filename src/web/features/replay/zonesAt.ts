import { useEffect, useState } from 'react';
import type { ZoneFeature } from '../../../domain/zones';
import type { ReplayClock } from './clock';
import { fetchZonesAt } from './replayApi';

/**
 * Zones as they were at the replay time. `GET /zones?at=T` gives each zone in the version in force
 * at T; that picture holds until one of those versions ends or a later one begins. The ends are in
 * the answer (validTo), the beginnings of versions not yet in force are not: so the picture is
 * fetched again once the replay time leaves the span where the loaded versions are all in force,
 * or moves more than ZONE_REFRESH_MS of replay time from where it was fetched, whichever is first.
 * A zone drawn or changed during the window therefore shows up within five replay minutes.
 */
export const ZONE_REFRESH_MS = 5 * 60_000;
/** Scrubbing fires many times a second: fetch once the slider rests. */
const SETTLE_MS = 150;
/** After a failed fetch, wait this long (wall clock) before the next try. */
const RETRY_MS = 5_000;

/** The span around `at` in which the zones fetched for `at` are still the zones in force. */
export function heldRange(zones: readonly ZoneFeature[], at: number): [number, number] {
  let lo = at - ZONE_REFRESH_MS;
  let hi = at + ZONE_REFRESH_MS;
  for (const z of zones) {
    const from = Date.parse(z.properties.validFrom);
    const to = z.properties.validTo ? Date.parse(z.properties.validTo) : Number.NaN;
    if (Number.isFinite(from) && from <= at) lo = Math.max(lo, from);
    if (Number.isFinite(to) && to > at) hi = Math.min(hi, to);
  }
  return [lo, hi];
}

/** Follows the clock and calls back with the zones in force whenever the picture changes. */
export function followZones(
  clock: ReplayClock,
  onZones: (zones: readonly ZoneFeature[]) => void,
  onError: (e: unknown) => void,
  fetcher: (at: number) => Promise<ZoneFeature[]> = fetchZonesAt,
): () => void {
  let held: [number, number] | null = null;
  let loading = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let retryAt = 0;

  const load = async () => {
    timer = null;
    loading = true;
    const at = clock.time;
    try {
      const zones = await fetcher(at);
      if (stopped) return;
      held = heldRange(zones, at);
      onZones(zones);
    } catch (e) {
      retryAt = Date.now() + RETRY_MS;
      if (!stopped) onError(e);
    } finally {
      loading = false;
    }
    // The clock may have moved on while the answer was on its way.
    if (!stopped) check(clock.time);
  };

  const check = (t: number) => {
    if (loading || timer !== null || Date.now() < retryAt) return;
    if (held && t >= held[0] && t < held[1]) return;
    // The first picture comes at once; later ones once the time rests for a moment.
    if (!held) void load();
    else timer = setTimeout(() => void load(), SETTLE_MS);
  };

  const stop = clock.onTime(check);
  return () => {
    stopped = true;
    stop();
    if (timer !== null) clearTimeout(timer);
  };
}

/** The zones in force at the replay time, or null before the first answer (or without a clock). */
export function useReplayZones(clock: ReplayClock | null): {
  zones: readonly ZoneFeature[] | null;
  failed: boolean;
} {
  const [zones, setZones] = useState<readonly ZoneFeature[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setZones(null);
    setFailed(false);
    if (!clock) return;
    return followZones(
      clock,
      (z) => {
        setZones(z);
        setFailed(false);
      },
      () => setFailed(true),
    );
  }, [clock]);
  return { zones, failed };
}
