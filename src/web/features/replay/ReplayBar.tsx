import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { t } from '../../i18n/t';
import type { ReplayAlert } from './alerts';
import { type ClockState, REPLAY_SPEEDS, type ReplayClock } from './clock';
import { PlayerIcon } from './icons';
import { ReplayAlertList } from './ReplayAlertList';
import { ReplaySlider } from './ReplaySlider';
import { ReplayTime } from './ReplayTime';
import type { ReplayController } from './useReplay';
import { STEP_MS, useReplayKeys } from './useReplayKeys';
import { WindowPicker } from './WindowPicker';

const STOPPED: ClockState = { playing: false, speed: 10 };
const noSubscribe = () => () => undefined;
const stopped = () => STOPPED;

/**
 * The replay time bar under the map: a REPLAY badge and the replay time in UTC, play/pause, speed,
 * a slider to scrub, the window to load, the window's alerts, and the way back to live.
 */
export function ReplayBar({ replay }: { replay: ReplayController }) {
  const clock: ReplayClock | null = replay.scene?.clock ?? null;
  const state = useSyncExternalStore(clock?.subscribe ?? noSubscribe, clock?.getState ?? stopped);
  const playRef = useRef<HTMLButtonElement>(null);
  useReplayKeys(clock);

  // A freshly loaded window is ready to play: put the keyboard there.
  useEffect(() => {
    if (clock) playRef.current?.focus();
  }, [clock]);

  const pickAlert = useCallback(
    (a: ReplayAlert) => {
      if (!clock) return;
      clock.pause();
      clock.seek(a.at);
    },
    [clock],
  );

  return (
    <section className="replay-bar" data-testid="replay-bar" aria-label={t('replay.label')}>
      <div className="replay-bar__head">
        <span className="replay-badge" data-testid="replay-badge">
          {t('replay.badge')}
        </span>
        <ReplayTime clock={clock} />
        <div className="replay-bar__buttons">
          <button
            type="button"
            className="replay-bar__button"
            disabled={!clock}
            aria-label={t('replay.stepBack', { seconds: STEP_MS / 1000 })}
            title={t('replay.stepBack', { seconds: STEP_MS / 1000 })}
            onClick={() => clock?.step(-STEP_MS)}
          >
            <PlayerIcon name="back" />
          </button>
          <button
            ref={playRef}
            type="button"
            className="replay-bar__button replay-bar__button--play"
            data-testid="replay-play"
            disabled={!clock}
            aria-label={state.playing ? t('replay.pause') : t('replay.play')}
            aria-pressed={state.playing}
            onClick={() => clock?.toggle()}
          >
            <PlayerIcon name={state.playing ? 'pause' : 'play'} />
          </button>
          <button
            type="button"
            className="replay-bar__button"
            disabled={!clock}
            aria-label={t('replay.stepForward', { seconds: STEP_MS / 1000 })}
            title={t('replay.stepForward', { seconds: STEP_MS / 1000 })}
            onClick={() => clock?.step(STEP_MS)}
          >
            <PlayerIcon name="forward" />
          </button>
        </div>
        <fieldset className="replay-speeds" disabled={!clock}>
          <legend className="visually-hidden">{t('replay.speed')}</legend>
          {REPLAY_SPEEDS.map((s) => (
            <button
              key={s}
              type="button"
              className="replay-speeds__button"
              data-testid={`replay-speed-${s}`}
              aria-pressed={state.speed === s}
              onClick={() => clock?.setSpeed(s)}
            >
              {t('replay.speedValue', { speed: s })}
            </button>
          ))}
        </fieldset>
        <button
          type="button"
          className="button replay-bar__live"
          data-testid="replay-exit"
          onClick={replay.stop}
        >
          <span className="replay-bar__long">{t('replay.backToLive')}</span>
          <span className="replay-bar__short">{t('replay.backToLiveShort')}</span>
        </button>
      </div>
      <div className="replay-bar__main">
        {clock && <ReplaySlider clock={clock} alerts={replay.scene?.alerts ?? []} onPickAlert={pickAlert} />}
        <WindowPicker
          status={replay.status}
          error={replay.error}
          model={replay.scene?.model ?? null}
          onLoad={replay.load}
        />
      </div>
      <ReplayAlertList alerts={replay.alerts} onPick={pickAlert} />
    </section>
  );
}
