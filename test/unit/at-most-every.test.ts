import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { atMostEvery } from '../../src/web/app/atMostEvery';

describe('atMostEvery (the alert counts refresh)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls once per interval under a steady stream of requests, not only after it stops', () => {
    const fn = vi.fn();
    const t = atMostEvery(fn, 400);
    for (let i = 0; i < 40; i++) {
      t.request();
      vi.advanceTimersByTime(100);
    }
    // 4 s of a request every 100 ms: ten calls, the first 400 ms after the first request.
    expect(fn).toHaveBeenCalledTimes(10);
  });

  it('answers a lone request once, within the interval, and nothing after cancel', () => {
    const fn = vi.fn();
    const t = atMostEvery(fn, 400);
    t.request();
    t.request();
    vi.advanceTimersByTime(399);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    t.request();
    t.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('reads a varying interval when it schedules, and soon() calls at the next task instead', () => {
    const fn = vi.fn();
    let wait = 100;
    const t = atMostEvery(fn, () => wait);
    t.request();
    wait = 1000;
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(1);
    t.request();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
    t.soon();
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(2000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
