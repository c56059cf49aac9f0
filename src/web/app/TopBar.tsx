import type { AlertSeverity } from '../../domain/alerts';
import { t } from '../i18n/t';
import { AlertsIndicator } from './AlertsIndicator';
import type { Me } from './auth';
import { Clock } from './Clock';
import { LiveIndicator } from './LiveIndicator';
import type { LiveStatus } from './live';
import { NavBar } from './NavBar';
import type { Route } from './router';
import { UserMenu } from './UserMenu';

interface TopBarProps {
  me: Me;
  route: Route;
  live: LiveStatus;
  onLogout(): Promise<void>;
  layersOpen: boolean;
  onToggleLayers(): void;
  /** The bell: open alerts, their worst severity, and the panel it opens. */
  alerts?: { count: number; severity: AlertSeverity | null; open: boolean; onToggle(): void };
}

export function TopBar({ me, route, live, onLogout, layersOpen, onToggleLayers, alerts }: TopBarProps) {
  return (
    <header className="topbar">
      {/* Only shown on narrow screens, where the layer panel becomes a sheet below the map. */}
      {route.page === 'map' && (
        <button
          type="button"
          className="button button--ghost topbar__layers"
          aria-expanded={layersOpen}
          aria-controls="layer-sheet"
          onClick={onToggleLayers}
          data-testid="layers-toggle"
        >
          {t('layers.toggle')}
        </button>
      )}
      <div className="topbar__brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1 className="topbar__name">{t('app.name')}</h1>
      </div>
      <NavBar route={route} />
      <div className="topbar__spacer" />
      <LiveIndicator status={live} />
      <AlertsIndicator
        count={alerts?.count}
        severity={alerts?.severity}
        expanded={alerts?.open}
        onToggle={alerts?.onToggle}
      />
      <Clock />
      <UserMenu me={me} onLogout={onLogout} />
    </header>
  );
}
