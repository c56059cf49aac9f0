import { useState } from 'react';
import { t } from '../i18n/t';
import type { Me } from './auth';

/** Who is signed in (organisation, user, clearance) and the way out. */
export function UserMenu({ me, onLogout }: { me: Me; onLogout(): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <div className="user-menu" data-testid="user-menu">
      <span className="user-menu__id">
        <span
          className="user-menu__org"
          title={me.nation ? `${me.organisation} (${me.nation})` : me.organisation}
        >
          {me.organisation}
        </span>
        <span
          className="user-menu__who"
          title={`${me.displayName} — ${t('user.clearance', { clearance: me.clearance })}`}
        >
          {me.username}
        </span>
      </span>
      <button
        type="button"
        className="button button--ghost user-menu__logout"
        data-testid="logout"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          onLogout().finally(() => setBusy(false));
        }}
      >
        {t('user.logout')}
      </button>
    </div>
  );
}
