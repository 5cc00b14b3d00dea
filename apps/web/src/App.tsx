import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { BrowserRouter, Navigate, NavLink, Route, Routes } from 'react-router';
import { api, ApiRequestError, setCsrfToken } from './api/client';
import { useMe } from './api/hooks';
import { LoginPage } from './features/auth/LoginPage';
import { CostByServiceRegionPage } from './features/cost-by-service-region/CostByServiceRegionPage';
import { lazy, Suspense } from 'react';
import { ErrorState, Loading } from './ui/States';

const UsersPage = lazy(() => import('./features/users/UsersPage').then((m) => ({ default: m.UsersPage })));

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: (count, err) => !(err instanceof ApiRequestError && err.status < 500) && count < 1, staleTime: 30_000 } },
});

function Shell() {
  const me = useMe();
  const client = useQueryClient();
  if (me.isPending) return <Loading what="Meridian" />;
  if (me.isError) return me.error instanceof ApiRequestError && me.error.status === 401 ? <LoginPage /> : <ErrorState error={me.error} />;
  const signOut = async () => {
    await api.logout().catch(() => undefined);
    setCsrfToken(null);
    client.clear();
    await client.invalidateQueries({ queryKey: ['me'] });
  };
  const isOwner = me.data.user.isOwner;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="topbar" aria-label="Main">
        <span className="brand">Meridian</span>
        <NavLink to="/costs/service-region">Cost by service and region</NavLink>
        {isOwner && <NavLink to="/settings/users">Users</NavLink>}
        <span className="spacer" />
        <span className="who">{me.data.user.email}</span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </nav>
      <main id="main">
        <Routes>
          <Route path="/" element={<Navigate to="/costs/service-region" replace />} />
          <Route path="/costs/service-region" element={<CostByServiceRegionPage />} />
          {isOwner && (
            <Route
              path="/settings/users"
              element={
                <Suspense fallback={<Loading what="users" />}>
                  <UsersPage />
                </Suspense>
              }
            />
          )}
          <Route path="*" element={<p>Page not found.</p>} />
        </Routes>
      </main>
    </>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Shell />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
