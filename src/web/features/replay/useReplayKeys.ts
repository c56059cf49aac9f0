import { useEffect } from 'react';
import type { ReplayClock } from './clock';

/** One arrow press steps this far; with Shift, a minute. */
export const STEP_MS = 10_000;
const BIG_STEP_MS = 60_000;

/**
 * Space plays or pauses, arrows step, wherever focus is except where those keys already mean
 * something: text fields, lists, the slider (arrows move it), buttons (space presses them) and the
 * map (arrows pan it).
 */
function claimed(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('input, textarea, select, [role="application"]'))
    return true;
  return key === ' ' && target.closest('button, a, summary') !== null;
}

export function useReplayKeys(clock: ReplayClock | null): void {
  useEffect(() => {
    if (!clock) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || claimed(e.target, e.key)) return;
      const step = e.shiftKey ? BIG_STEP_MS : STEP_MS;
      if (e.key === ' ') clock.toggle();
      else if (e.key === 'ArrowRight') clock.step(step);
      else if (e.key === 'ArrowLeft') clock.step(-step);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [clock]);
}
