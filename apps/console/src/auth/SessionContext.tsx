import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { loadSession, saveSession, sessionFromToken, type Session } from './session.js';

interface SessionState {
  session: Session | undefined;
  /** Throws with a message for the person when the token cannot be used. */
  signIn(token: string): Session;
  signOut(): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const signIn = useCallback((token: string) => {
    const next = sessionFromToken(token);
    saveSession(next);
    setSession(next);
    return next;
  }, []);
  const signOut = useCallback(() => {
    saveSession(undefined);
    setSession(undefined);
  }, []);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
