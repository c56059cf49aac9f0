import { t } from '../i18n/t';

/** The capabilities of Concord; the map is the only one so far, so it is always the current page. */
export function NavBar() {
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      <ul className="nav__list">
        <li>
          <a
            className="nav__link"
            href="/"
            aria-current="page"
            data-testid="nav-map"
            // Already here: following the link would only reload the picture.
            onClick={(e) => e.preventDefault()}
          >
            {t('nav.map')}
          </a>
        </li>
      </ul>
    </nav>
  );
}
