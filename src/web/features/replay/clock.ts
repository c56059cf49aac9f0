/** Replay speeds offered: multiples of real time. */
export const REPLAY_SPEEDS = [1, 2, 5, 10, 30, 60] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];

export interface ClockState {
  playing: boolean;
  speed: ReplaySpeed;
}

/**
 * The replay time and its animation. Frames go to `onTime` listeners (the map layer, the time
 * read-out, the slider), which write to the canvas or the DOM directly: React re-renders only when
 * playing or the speed changes (`subscribe`/`getState`), never once per frame.
 */
export class ReplayClock {
  private t: number;
  private state: ClockState = { playing: false, speed: 10 };
  private frame = 0;
  private lastWall = 0;
  private readonly timeListeners = new Set<(t: number) => void>();
  private readonly stateListeners = new Set<() => void>();

  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    this.t = start;
  }

  get time(): number {
    return this.t;
  }

  getState = (): ClockState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  };

  /** Called with the time now and on every change; returns the function that unsubscribes. */
  onTime(listener: (t: number) => void): () => void {
    this.timeListeners.add(listener);
    listener(this.t);
    return () => this.timeListeners.delete(listener);
  }

  play(): void {
    if (this.state.playing) return;
    // Play at the end starts over: what else could it mean.
    if (this.t >= this.end) this.seek(this.start);
    this.setState({ ...this.state, playing: true });
    this.lastWall = performance.now();
    this.frame = requestAnimationFrame(this.tick);
  }

  pause(): void {
    if (!this.state.playing) return;
    cancelAnimationFrame(this.frame);
    this.setState({ ...this.state, playing: false });
  }

  toggle(): void {
    if (this.state.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: ReplaySpeed): void {
    if (speed !== this.state.speed) this.setState({ ...this.state, speed });
  }

  seek(t: number): void {
    const clamped = Math.min(this.end, Math.max(this.start, t));
    if (clamped === this.t) return;
    this.t = clamped;
    for (const l of this.timeListeners) l(clamped);
  }

  step(ms: number): void {
    this.seek(this.t + ms);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.timeListeners.clear();
    this.stateListeners.clear();
  }

  private readonly tick = (now: number): void => {
    // A background tab gets no frames: resuming must not leap by the time it was hidden.
    const elapsed = Math.min(now - this.lastWall, 250);
    this.lastWall = now;
    this.seek(this.t + elapsed * this.state.speed);
    if (this.t >= this.end) {
      this.setState({ ...this.state, playing: false });
      return;
    }
    this.frame = requestAnimationFrame(this.tick);
  };

  private setState(next: ClockState): void {
    this.state = next;
    for (const l of this.stateListeners) l();
  }
}
