import type { PageNotice } from './useRecordPage';

const CLASS: Record<PageNotice['kind'], string> = {
  ok: 'notice notice--ok',
  conflict: 'conflict',
  error: 'form-error',
};

/** What a page says after an action: a status when it went through, an alert when it did not. */
export function PageNoticeLine({ notice, testId }: { notice: PageNotice | null; testId: string }) {
  if (!notice) return null;
  return (
    <p className={CLASS[notice.kind]} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid={testId}>
      {notice.text}
    </p>
  );
}
