import { useEffect, useRef } from 'react';
import { formatUtc, t } from '../../i18n/t';
import type { ReplayAlert } from './alerts';
import type { ReplayClock } from './clock';

interface ReplaySliderProps {
  clock: ReplayClock;
  alerts: readonly ReplayAlert[];
  onPickAlert(alert: ReplayAlert): void;
}

/**
 * Scrubbing: a range input over the window, one step a second, kept in step with the clock by
 * writing its value on each frame. Alerts are ticks along it at their times.
 */
export function ReplaySlider({ clock, alerts, onPickAlert }: ReplaySliderProps) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    return clock.onTime((time) => {
      el.value = String(Math.round(time / 1000) * 1000);
    });
  }, [clock]);
  const span = clock.end - clock.start;
  const iso = (ms: number) => new Date(ms).toISOString();
  return (
    <div className="replay-slider">
      <div className="replay-slider__rail">
        <input
          ref={ref}
          type="range"
          className="replay-slider__input"
          data-testid="replay-slider"
          min={clock.start}
          max={clock.end}
          step={1000}
          defaultValue={clock.start}
          aria-label={t('replay.slider')}
          onInput={(e) => clock.seek(Number(e.currentTarget.value))}
        />
        {alerts.map((a) => (
          <button
            key={a.id}
            type="button"
            className={`replay-slider__tick replay-slider__tick--${a.severity}`}
            style={{ insetInlineStart: `${((a.at - clock.start) / span) * 100}%` }}
            title={`${formatUtc(iso(a.at))} ${a.summary}`}
            aria-label={t('replay.jumpTo', { what: a.summary })}
            tabIndex={-1}
            onClick={() => onPickAlert(a)}
          />
        ))}
      </div>
      <div className="replay-slider__ends">
        <span>{formatUtc(iso(clock.start))}</span>
        <span>{formatUtc(iso(clock.end))}</span>
      </div>
    </div>
  );
}
