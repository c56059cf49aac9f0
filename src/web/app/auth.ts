import { ApiError, api, setCsrfToken } from './api';

/** The signed-in user as `/auth/login` and `/auth/me` return it. */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  organisation: string;
  nation: string | null;
  roles: string[];
  clearance: string;
  caveats: string[];
  principals: string[];
  csrfToken?: string;
}

function remember(me: Me): Me {
  setCsrfToken(me.csrfToken ?? null);
  return me;
}

/** Who is signed in, or null when nobody is (the server answers 401). */
export async function currentUser(): Promise<Me | null> {
  try {
    return remember(await api.get<Me>('/auth/me', { quiet401: true }));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function login(username: string, password: string): Promise<Me> {
  return remember(await api.post<Me>('/auth/login', { username, password }, { quiet401: true }));
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/auth/logout', undefined, { quiet401: true });
  } finally {
    setCsrfToken(null);
  }
}
