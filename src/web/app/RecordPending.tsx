import { followLink } from './router';

/** The way back from a record page to where its records are listed. */
export function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <a className="back-link" href={href} onClick={followLink}>
      ← {label}
    </a>
  );
}

interface RecordPendingProps {
  className: string;
  testId: string;
  back: { href: string; label: string };
  /** From useRecordPage: a 404 says the record is not there (or not released to you). */
  loadError: { status: number; text: string } | null;
  notFound: string;
  loading: string;
}

/** A record page before its record is there: still loading, not found, or why it failed. */
export function RecordPending({ className, testId, back, loadError, notFound, loading }: RecordPendingProps) {
  return (
    <div className={`page ${className}`} data-testid={testId}>
      <BackLink {...back} />
      {loadError ? (
        <p className="error-text" role="alert">
          {loadError.status === 404 ? notFound : loadError.text}
        </p>
      ) : (
        <p className="muted" role="status">
          {loading}
        </p>
      )}
    </div>
  );
}
