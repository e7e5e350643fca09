import { lazy, Suspense, useMemo } from 'react';
import { createHashRouter, Link, NavLink, Outlet, RouterProvider } from 'react-router';
import { Provider } from 'urql';
import { createApiClient } from './api/client.js';
import { SessionProvider, useSession } from './auth/SessionContext.js';
import { NewReleasePage } from './pages/NewReleasePage.js';
import { NotFound } from './pages/NotFound.js';
import { ReleasesBoard } from './pages/ReleasesBoard.js';
import { SignInPage } from './pages/SignInPage.js';

// The pages with charts load on first visit, so the board and sign-in come up without the chart library.
const ReleasePage = lazy(() => import('./pages/release/ReleasePage.js').then((m) => ({ default: m.ReleasePage })));
const RolloutPage = lazy(() => import('./pages/RolloutPage.js').then((m) => ({ default: m.RolloutPage })));
const AnalyticsPage = lazy(() => import('./pages/AnalyticsPage.js').then((m) => ({ default: m.AnalyticsPage })));

/** Where the gateway serves its GraphQL explorer. */
export const EXPLORER_PATH = './graphql';

function Layout() {
  const { session, signOut } = useSession();
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Flightdeck
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Releases
          </NavLink>
          <NavLink to="/analytics">Analytics</NavLink>
          <a href={EXPLORER_PATH}>GraphQL explorer</a>
        </nav>
        <div className="who">
          {session ? (
            <>
              <span>
                Signed in as <strong>{session.name ?? session.subject}</strong>{' '}
                <span className="muted">({session.roles.join(', ') || 'no roles'})</span>
              </span>
              <button type="button" onClick={signOut}>
                Sign out
              </button>
            </>
          ) : (
            <NavLink to="/sign-in">Sign in</NavLink>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p aria-live="polite">Loading…</p>}>
          <Outlet />
        </Suspense>
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
  const token = useSession().session?.token;
  // One client per identity: signing in as someone else starts afresh, so no answer given to another identity is reused.
  const client = useMemo(() => createApiClient(() => token), [token]);
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
