import type { ReactNode } from 'react';
import type { Marking } from '../../../domain/marking';
import type { Me } from '../../app/auth';
import { MarkingBadge } from '../../app/MarkingBadge';
import { type AidView, followLink, paths, type Route } from '../../app/router';
import { type MessageKey, t } from '../../i18n/t';
import { ConsignmentPage } from './ConsignmentPage';
import { ConsignmentsPage } from './ConsignmentsPage';
import { CrossingsPage } from './CrossingsPage';
import { DashboardPage } from './DashboardPage';
import { ImportPage } from './ImportPage';
import { ReconciliationPage } from './ReconciliationPage';
import { RegisterPage } from './RegisterPage';

type Tab = Exclude<AidView, 'consignment' | 'consignment-new'>;
const TABS: readonly Tab[] = ['dashboard', 'crossings', 'consignments', 'reconciliation', 'import'];

interface AidPagesProps {
  me: Me;
  route: Extract<Route, { page: 'aid' }>;
  onMarkings(markings: readonly Marking[]): void;
}

/** Humanitarian access: the dashboard, the crossings board, consignments and convoys, counts, imports. */
export function AidPages({ me, route, onMarkings }: AidPagesProps) {
  const tab: Tab =
    route.view === 'consignment' || route.view === 'consignment-new' ? 'consignments' : route.view;
  return (
    <div className="page aid-page" data-testid="aid-page" data-view={route.view}>
      <nav className="aid-tabs" aria-label={t('aid.tabs')}>
        {TABS.map((v) => (
          <a
            key={v}
            className="aid-tabs__link"
            href={paths.aid(v)}
            onClick={followLink}
            aria-current={tab === v ? 'page' : undefined}
            data-testid={`aid-tab-${v}`}
          >
            {t(`aid.tab.${v}` as MessageKey)}
          </a>
        ))}
      </nav>
      {route.view === 'dashboard' && <DashboardPage query={route.query} onMarkings={onMarkings} />}
      {route.view === 'crossings' && <CrossingsPage me={me} onMarkings={onMarkings} />}
      {route.view === 'consignments' && (
        <ConsignmentsPage me={me} query={route.query} onMarkings={onMarkings} />
      )}
      {route.view === 'consignment' && route.id && (
        <ConsignmentPage key={route.id} id={route.id} onMarkings={onMarkings} />
      )}
      {route.view === 'consignment-new' && <RegisterPage me={me} onMarkings={onMarkings} />}
      {route.view === 'reconciliation' && (
        <ReconciliationPage me={me} query={route.query} onMarkings={onMarkings} />
      )}
      {route.view === 'import' && <ImportPage me={me} onMarkings={onMarkings} />}
    </div>
  );
}

/** A page's header: its title, the marking of what it shows and its actions. */
export function AidHeader({
  title,
  markingText,
  children,
}: {
  title: string;
  markingText?: string | null;
  children?: ReactNode;
}) {
  return (
    <header className="page__header">
      <div className="aid-head">
        <h2 className="page__title">{title}</h2>
        {markingText && <MarkingLine text={markingText} />}
      </div>
      {children && <div className="page__actions">{children}</div>}
    </header>
  );
}

function MarkingLine({ text }: { text: string }) {
  return (
    <span data-testid="aid-marking">
      <MarkingBadge text={text} />
    </span>
  );
}
