/**
 * The signed-in account of the tab: the session opened by `POST /api/v1/auth/login` (a bearer
 * token kept in sessionStorage) and who it is (`GET /api/v1/me`). Pages read it with
 * `useSession()`; the server checks every call anyway — roles here only shape what is shown.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, ApiError, sessionToken, setSessionToken } from '../api/client';

/** The platform's roles (as `@hygie/core` names them). */
export type Role =
  'admin' | 'researcher' | 'reviewer' | 'output_checker' | 'analyst' | 'auditor' | 'system';

/** Who is signed in. */
export interface Me {
  readonly userId: string | null;
  readonly roles: readonly Role[];
  readonly displayName: string | null;
}

interface SessionValue {
  /** Null when nobody is signed in. */
  readonly me: Me | null;
  /** True while the stored session is being checked at start. */
  readonly checking: boolean;
  login(login: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  hasRole(...roles: readonly Role[]): boolean;
}

const SessionContext = createContext<SessionValue | null>(null);
const NAME_KEY = 'hygie.displayName';

/** Provides the session to the app. */
export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(sessionToken() !== null);

  useEffect(() => {
    if (sessionToken() === null) return;
    api
      .get<{ userId: string | null; roles: Role[]; via: string }>('/api/v1/me')
      .then((r) => {
        if (r.via === 'citizen-session') return;
        setMe({ userId: r.userId, roles: r.roles, displayName: sessionStorage.getItem(NAME_KEY) });
      })
      .catch((e: unknown) => {
        // An expired or revoked session: forget it.
        if (e instanceof ApiError && e.status === 401) setSessionToken(null);
      })
      .finally(() => setChecking(false));
  }, []);

  const login = useCallback(async (login: string, password: string): Promise<Me> => {
    const r = await api.withToken<{
      token: string;
      expiresAt: string;
      user: { id: string; displayName: string; roles: Role[] };
    }>(null, 'POST', '/api/v1/auth/login', { login, password });
    setSessionToken(r.token);
    sessionStorage.setItem(NAME_KEY, r.user.displayName);
    const next: Me = { userId: r.user.id, roles: r.user.roles, displayName: r.user.displayName };
    setMe(next);
    return next;
  }, []);

  const logout = useCallback(async (): Promise<void> => {
    try {
      await api.post('/api/v1/auth/logout');
    } catch {
      // Logging out of an already expired session is fine.
    }
    setSessionToken(null);
    sessionStorage.removeItem(NAME_KEY);
    setMe(null);
  }, []);

  const value = useMemo<SessionValue>(
    () => ({
      me,
      checking,
      login,
      logout,
      hasRole: (...roles) => me !== null && me.roles.some((r) => roles.includes(r)),
    }),
    [me, checking, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session of the tab. */
export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (v === null) throw new Error('useSession outside SessionProvider');
  return v;
}
