import { type FormEvent, useRef, useState } from 'react';
import { t } from '../i18n/t';
import { login, type Me } from './auth';
import { ClassificationBanner } from './ClassificationBanner';

/** Nothing classified is on the sign-in page, so its banners say so. */
const LOGIN_MARKING = 'UNCLASSIFIED';

export function LoginPage({ onSignedIn, notice }: { onSignedIn(me: Me): void; notice: string | null }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError(t('login.missing'));
      (username.trim() ? passwordRef : usernameRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await login(username.trim(), password));
    } catch (err) {
      setError(err instanceof Error && err.message ? err.message : t('login.failed'));
      setPassword('');
      setBusy(false);
      // The username is usually right; the password is what gets retyped.
      passwordRef.current?.focus();
    }
  }

  const message = error ?? notice;
  return (
    <div className="login-screen">
      <ClassificationBanner text={LOGIN_MARKING} position="top" />
      <main className="login">
        <form className="login__card" onSubmit={submit} aria-labelledby="login-title" noValidate>
          <div className="login__brand">
            <span className="brand-mark" aria-hidden="true" />
            <div>
              <p className="login__app">{t('app.name')}</p>
              <p className="login__tagline">{t('app.tagline')}</p>
            </div>
          </div>
          <h1 id="login-title" className="login__title">
            {t('login.title')}
          </h1>
          <label className="field">
            <span className="field__label">{t('login.username')}</span>
            <input
              className="field__input"
              ref={usernameRef}
              data-testid="login-username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              aria-invalid={error ? true : undefined}
              aria-describedby={message ? 'login-error' : undefined}
              // biome-ignore lint/a11y/noAutofocus: the sign-in form is the only thing on the page.
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field__label">{t('login.password')}</span>
            <input
              className="field__input"
              ref={passwordRef}
              data-testid="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              aria-invalid={error ? true : undefined}
              aria-describedby={message ? 'login-error' : undefined}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          {message && (
            <p className="login__error" data-testid="login-error" role="alert" id="login-error">
              {message}
            </p>
          )}
          <button
            type="submit"
            className="button button--primary login__submit"
            data-testid="login-submit"
            disabled={busy}
          >
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
          <p className="login__notice">{t('app.demoNotice')}</p>
        </form>
      </main>
      <ClassificationBanner text={LOGIN_MARKING} position="bottom" />
    </div>
  );
}
