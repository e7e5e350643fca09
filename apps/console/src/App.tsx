import { useMemo, useRef } from 'react';
import { createHashRouter, Link, NavLink, Outlet, RouterProvider } from 'react-router';
import { Provider } from 'urql';
import { createApiClient } from './api/client.js';
import { SessionProvider, useSession } from './auth/SessionContext.js';
import { AnalyticsPage } from './pages/AnalyticsPage.js';
import { NewReleasePage } from './pages/NewReleasePage.js';
import { NotFound } from './pages/NotFound.js';
import { ReleasePage } from './pages/release/ReleasePage.js';
import { ReleasesBoard } from './pages/ReleasesBoard.js';
import { RolloutPage } from './pages/RolloutPage.js';
import { SignInPage } from './pages/SignInPage.js';

/** Where the gateway serves its GraphQL explorer. */
export const EXPLORER_PATH = './graphql';

function Layout() {
  const { session, signOut } = useSession();
  return (
    <>
      <a href="#main" className="skip-link">Skip to content</a>
      <header className="topbar">
        <Link to="/" className="brand">Flightdeck</Link>
        <nav aria-label="Main">
          <NavLink to="/" end>Releases</NavLink>
          <NavLink to="/analytics">Analytics</NavLink>
          <a href={EXPLORER_PATH}>GraphQL explorer</a>
        </nav>
        <div className="who">
          {session ? (
            <>
              <span>
                Signed in as <strong>{session.name ?? session.subject}</strong> <span className="muted">({session.roles.join(', ') || 'no roles'})</span>
              </span>
              <button type="button" onClick={signOut}>Sign out</button>
            </>
          ) : (
            <NavLink to="/sign-in">Sign in</NavLink>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

const router = createHashRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <ReleasesBoard /> },
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/releases/new', element: <NewReleasePage /> },
      { path: '/releases/:id', element: <ReleasePage /> },
      { path: '/rollouts/:id', element: <RolloutPage /> },
      { path: '/analytics', element: <AnalyticsPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

function ApiProvider({ children }: { children: React.ReactNode }) {
  const { session } = useSession();
  const token = useRef<string | undefined>(undefined);
  token.current = session?.token;
  // One client; it reads the current token on every request. Re-created on sign-in so no answer of another identity is reused.
  const client = useMemo(() => createApiClient(() => token.current), [session?.token]); // eslint-disable-line react-hooks/exhaustive-deps
  return <Provider value={client}>{children}</Provider>;
}

export function App() {
  return (
    <SessionProvider>
      <ApiProvider>
        <RouterProvider router={router} />
      </ApiProvider>
    </SessionProvider>
  );
}
