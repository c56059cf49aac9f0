/**
 * Calls `fn` at most once per `ms`, and within `ms` of any request: a burst of requests gives one
 * call at its start's end, and a steady stream one call per interval. (A debounce would wait for a
 * pause that a steady stream never makes.)
 */
export function atMostEvery(fn: () => void, ms: number): { request(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    request() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        fn();
      }, ms);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
