import type { ReactNode } from 'react';
import { MarkingBadge } from './MarkingBadge';
import { followLink } from './router';

interface RecordRowProps {
  /** Added to `incident-row`, the look every numbered record's row shares. */
  className?: string;
  testId: string;
  id: string;
  number: string;
  title: string;
  /** The record's page, which its number and title link to. */
  href: string;
  /** Where `data-state` of the row is read by tests and styles. */
  state?: string;
  /** Its status or state as a tag, beside the link. */
  tag: ReactNode;
  markingText: string;
  /** What the row says under its head: the record's meta lines. */
  children: ReactNode;
  /** Actions, under the marking. */
  actions?: ReactNode;
}

/** One numbered record (incident, notification) in a list: number and title link to its page. */
export function RecordRow(p: RecordRowProps) {
  return (
    <li
      className={p.className ? `incident-row ${p.className}` : 'incident-row'}
      data-testid={p.testId}
      data-id={p.id}
      data-number={p.number}
      data-state={p.state}
    >
      <div className="incident-row__head">
        <a className="incident-row__link" href={p.href} onClick={followLink}>
          <span className="incident-row__number">{p.number}</span>
          <span className="incident-row__title">{p.title}</span>
        </a>
        {p.tag}
      </div>
      {p.children}
      <MarkingBadge text={p.markingText} />
      {p.actions}
    </li>
  );
}
