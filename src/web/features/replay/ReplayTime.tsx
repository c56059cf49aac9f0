import { useEffect, useRef } from 'react';
import { formatUtcSeconds } from '../../i18n/t';
import type { ReplayClock } from './clock';

/** The replay time in UTC, written straight into the DOM on each frame rather than re-rendered. */
export function ReplayTime({ clock }: { clock: ReplayClock | null }) {
  const ref = useRef<HTMLOutputElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !clock) return;
    let shown = '';
    return clock.onTime((t) => {
      const text = formatUtcSeconds(new Date(t).toISOString());
      if (text === shown) return;
      shown = text;
      el.textContent = text;
    });
  }, [clock]);
  return (
    <output ref={ref} className="replay-bar__time" data-testid="replay-time" aria-live="off">
      {clock ? '' : '––––-––-–– ––:––:––Z'}
    </output>
  );
}
