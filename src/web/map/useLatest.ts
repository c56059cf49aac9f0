import { type RefObject, useEffect, useRef } from 'react';

/** A ref that follows `value` after each render, for handlers bound once that must call the latest. */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  }, [value]);
  return ref;
}
