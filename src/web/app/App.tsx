import { useCallback, useEffect, useState } from 'react';
import { t } from '../i18n/t';
import { setUnauthenticatedHandler } from './api';
import { currentUser, logout, type Me } from './auth';
import { LoginPage } from './LoginPage';
import { Shell } from './Shell';

type AuthState =
  | { status: 'checking' }
  | { status: 'anonymous'; notice: string | null }
  | { status: 'signed-in'; me: Me };

/** Decides between the sign-in page and the picture, from the session the server knows about. */
export function App() {
  const [auth, setAuth] = useState<AuthState>({ status: 'checking' });

  const sessionEnded = useCallback(
    () => setAuth({ status: 'anonymous', notice: t('error.sessionExpired') }),
    [],
  );

  useEffect(() => {
    setUnauthenticatedHandler(sessionEnded);
    currentUser().then(
      (me) => setAuth(me ? { status: 'signed-in', me } : { status: 'anonymous', notice: null }),
      (e: unknown) =>
        setAuth({ status: 'anonymous', notice: e instanceof Error ? e.message : t('error.network') }),
    );
    return () => setUnauthenticatedHandler(null);
  }, [sessionEnded]);

  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      setAuth({ status: 'anonymous', notice: null });
    }
  }, []);

  if (auth.status === 'checking') {
    return (
      <p className="splash" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (auth.status === 'anonymous') {
    return <LoginPage notice={auth.notice} onSignedIn={(me) => setAuth({ status: 'signed-in', me })} />;
  }
  // Keyed by user so that nothing of one session's picture survives into the next.
  return <Shell key={auth.me.id} me={auth.me} onLogout={signOut} onSessionEnded={sessionEnded} />;
}
