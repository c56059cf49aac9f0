import { useCallback, useEffect, useRef, useState } from 'react';
import type { ZoneFeature } from '../../../../domain/zones';

/** A short message over the map; after a delete it offers to undo it for a few seconds. */
export interface Notice {
  id: number;
  text: string;
  undo: ZoneFeature | null;
}

export const UNDO_MS = 10_000;
const NOTICE_MS = 6_000;

/** One message at a time; a new one replaces the last. Undo offers stay up for UNDO_MS. */
export function useNotice() {
  const [notice, setNotice] = useState<Notice | null>(null);
  const noticeTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const noticeSeq = useRef(0);

  const show = useCallback((text: string, undo: ZoneFeature | null = null) => {
    if (noticeTimer.current) clearTimeout(noticeTimer.current);
    noticeSeq.current += 1;
    const id = noticeSeq.current;
    setNotice({ id, text, undo });
    noticeTimer.current = setTimeout(
      () => setNotice((n) => (n?.id === id ? null : n)),
      undo ? UNDO_MS : NOTICE_MS,
    );
  }, []);
  useEffect(
    () => () => {
      if (noticeTimer.current) clearTimeout(noticeTimer.current);
    },
    [],
  );

  const dismiss = useCallback(() => setNotice(null), []);
  return { notice, show, dismiss };
}
