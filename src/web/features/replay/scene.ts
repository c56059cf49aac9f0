import type { ReplayAlert } from './alerts';
import type { ReplayClock } from './clock';
import type { ReplayModel } from './model';

/** What the map draws while replaying: the loaded window, its alerts, and the clock that drives it. */
export interface ReplayScene {
  model: ReplayModel;
  alerts: readonly ReplayAlert[];
  clock: ReplayClock;
}
