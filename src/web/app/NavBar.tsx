import { useEffect, useRef } from 'react';
import { t } from '../i18n/t';
import { followLink, paths, type Route } from './router';

type Section = 'map' | 'incidents' | 'reports' | 'aid' | 'notifications';

function sectionOf(route: Route): Section | null {
  switch (route.page) {
    case 'map':
      return 'map';
    case 'incidents':
    case 'incident':
    case 'incident-new':
      return 'incidents';
    case 'daily-report':
      return 'reports';
    case 'notifications':
    case 'notification':
    case 'notification-new':
    case 'facility':
    case 'facility-new':
      return 'notifications';
    case 'aid':
      return 'aid';
    default:
      return null;
  }
}

const LINKS: { section: Section; href: string; label: () => string }[] = [
  { section: 'map', href: paths.map, label: () => t('nav.map') },
  { section: 'incidents', href: paths.incidents(), label: () => t('nav.incidents') },
  { section: 'reports', href: paths.dailyReport(), label: () => t('nav.dailyReport') },
  { section: 'aid', href: paths.aid(), label: () => t('nav.aid') },
  { section: 'notifications', href: paths.notifications(), label: () => t('nav.notifications') },
];

/** The capabilities of Concord: the map, the incidents and the daily report. */
export function NavBar({ route }: { route: Route }) {
  const here = sectionOf(route);
  const navRef = useRef<HTMLElement>(null);
  // On a phone the links scroll sideways: the current one is brought into view.
  useEffect(() => {
    const current = here && navRef.current?.querySelector<HTMLElement>(`[data-testid="nav-${here}"]`);
    const nav = navRef.current;
    if (!current || !nav || nav.scrollWidth <= nav.clientWidth) return;
    const c = current.getBoundingClientRect();
    const n = nav.getBoundingClientRect();
    nav.scrollLeft += c.left - n.left - (n.width - c.width) / 2;
  }, [here]);
  return (
    <nav className="nav" aria-label={t('nav.label')} ref={navRef}>
      <ul className="nav__list">
        {LINKS.map((l) => (
          <li key={l.section}>
            <a
              className="nav__link"
              href={l.href}
              aria-current={here === l.section ? 'page' : undefined}
              data-testid={`nav-${l.section}`}
              onClick={followLink}
            >
              {l.label()}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
