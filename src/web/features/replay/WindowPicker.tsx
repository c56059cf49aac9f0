import { type FormEvent, useId, useState } from 'react';
import { formatUtc, type MessageKey, t } from '../../i18n/t';
import type { ReplayModel } from './model';
import type { ReplayStatus } from './useReplay';
import {
  customRange,
  presetRange,
  type RangeProblem,
  type ReplayRange,
  toUtcInput,
  WINDOW_PRESETS,
  type WindowPreset,
} from './windows';

interface WindowPickerProps {
  status: ReplayStatus;
  error: string | null;
  model: ReplayModel | null;
  onLoad(range: ReplayRange): void;
}

const PROBLEM: Record<RangeProblem, MessageKey> = {
  badFrom: 'replay.problem.badFrom',
  badTo: 'replay.problem.badTo',
  order: 'replay.problem.order',
  tooLong: 'replay.problem.tooLong',
};

/** Which window to replay: a preset ending now, or two UTC times; then what loading it gave. */
export function WindowPicker({ status, error, model, onLoad }: WindowPickerProps) {
  const id = useId();
  const [preset, setPreset] = useState<WindowPreset>('1h');
  const [from, setFrom] = useState(() => toUtcInput(Date.now() - 3_600_000));
  const [to, setTo] = useState(() => toUtcInput(Date.now()));
  const [problem, setProblem] = useState<RangeProblem | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (preset !== 'custom') {
      setProblem(null);
      onLoad(presetRange(preset));
      return;
    }
    const range = customRange(from, to);
    if (typeof range === 'string') {
      setProblem(range);
      return;
    }
    setProblem(null);
    onLoad(range);
  };

  const loading = status === 'loading';
  return (
    <form className="replay-window" onSubmit={submit} data-testid="replay-window">
      <label className="replay-window__field">
        <span className="replay-window__label">{t('replay.window')}</span>
        <select
          data-testid="replay-preset"
          value={preset}
          onChange={(e) => setPreset(e.currentTarget.value as WindowPreset)}
        >
          {WINDOW_PRESETS.map((p) => (
            <option key={p} value={p}>
              {t(`replay.preset.${p}`)}
            </option>
          ))}
        </select>
      </label>
      {preset === 'custom' && (
        <>
          <label className="replay-window__field" htmlFor={`${id}-from`}>
            <span className="replay-window__label">{t('replay.from')}</span>
            <input
              id={`${id}-from`}
              type="datetime-local"
              data-testid="replay-from"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
            />
          </label>
          <label className="replay-window__field" htmlFor={`${id}-to`}>
            <span className="replay-window__label">{t('replay.to')}</span>
            <input
              id={`${id}-to`}
              type="datetime-local"
              data-testid="replay-to"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
            />
          </label>
        </>
      )}
      <button type="submit" className="button button--primary" data-testid="replay-load" disabled={loading}>
        {loading ? t('replay.loading') : t('replay.load')}
      </button>
      <p className="replay-window__status" role="status" data-testid="replay-status" data-status={status}>
        {problem
          ? t(PROBLEM[problem])
          : status === 'loading'
            ? t('replay.loading')
            : status === 'failed'
              ? t('replay.failed', { detail: error ?? '' })
              : model
                ? model.tracks.length
                  ? t('replay.loaded', { tracks: model.tracks.length, positions: model.positions })
                  : t('replay.noTracks')
                : t('replay.empty')}
      </p>
      {model?.truncated && (
        <p className="replay-window__warning" role="alert">
          {t('replay.truncated', { until: formatUtc(new Date(model.until).toISOString()) })}
        </p>
      )}
    </form>
  );
}
