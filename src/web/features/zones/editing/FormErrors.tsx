import type { FieldProblem } from '../../../app/api';

export interface FormError {
  detail: string;
  problems: FieldProblem[];
}

/** The server's (or the form's own) reason a save failed, with each field problem listed. */
export function FormErrors({ error, testId }: { error: FormError | null; testId: string }) {
  if (!error) return null;
  return (
    <div className="form-error" role="alert" data-testid={testId}>
      <p className="form-error__detail">{error.detail}</p>
      {error.problems.length > 0 && (
        <ul className="form-error__list">
          {error.problems.map((p, i) => (
            // Problems have no identity of their own; the list is replaced as a whole.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above.
            <li key={i}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
