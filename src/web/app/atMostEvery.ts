/**
 * Calls `fn` at most once per `ms`, and within `ms` of any request: a burst of requests gives one
 * call at its start's end, and a steady stream one call per interval. (A debounce would wait for a
 * pause that a steady stream never makes.) `ms` may be a function, read when a call is scheduled.
 */
export function atMostEvery(
  fn: () => void,
  ms: number | (() => number),
): { request(): void; soon(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const at = (wait: number) => {
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, wait);
  };
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return {
    request() {
      if (!timer) at(typeof ms === 'number' ? ms : ms());
    },
    /** At the next task, instead of when a pending call falls due. */
    soon() {
      cancel();
      at(0);
    },
    cancel,
  };
}
