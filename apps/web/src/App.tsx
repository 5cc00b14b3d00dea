import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { BrowserRouter, Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { api, ApiRequestError, setCsrfToken } from './api/client';
import { useMe } from './api/hooks';
import { LoginPage } from './features/auth/LoginPage';
import { can } from './ui/permissions';
import { ErrorState, Loading } from './ui/States';
import { applyTheme, effectiveTheme, storedTheme, type ThemeChoice } from './ui/theme';

/** Every page is its own chunk: the first paint loads only the shell and the page it shows. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}
const OverviewPage = page(() => import('./features/overview/OverviewPage'), 'OverviewPage');
const CostByServiceRegionPage = page(() => import('./features/cost-by-service-region/CostByServiceRegionPage'), 'CostByServiceRegionPage');
const ExplorerPage = page(() => import('./features/explorer/ExplorerPage'), 'ExplorerPage');
const AccountsPage = page(() => import('./features/accounts/AccountsPage'), 'AccountsPage');
const CustomersPage = page(() => import('./features/customers/CustomersPage'), 'CustomersPage');
const InvoicesPage = page(() => import('./features/invoices/InvoicesPage'), 'InvoicesPage');
const SettingsPage = page(() => import('./features/settings/SettingsPage'), 'SettingsPage');
const AlertsPage = page(() => import('./features/alerts/AlertsPage'), 'AlertsPage');
const PricesPage = page(() => import('./features/prices/PricesPage'), 'PricesPage');

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: (count, err) => !(err instanceof ApiRequestError && err.status < 500) && count < 1, staleTime: 30_000 } },
});

function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  const dark = effectiveTheme(choice) === 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-pressed={dark}
      title={choice === 'system' ? 'Theme follows your system setting' : `Theme: ${choice} (saved)`}
      onClick={() => {
        const next: ThemeChoice = dark ? 'light' : 'dark';
        applyTheme(next);
        setChoice(next);
      }}
    >
      Dark theme
    </button>
  );
}

const NAV: { to: string; label: string; show?: 'invoices' | 'users' }[] = [
  { to: '/', label: 'Overview' },
  { to: '/costs/service-region', label: 'Cost by service & region' },
  { to: '/explorer', label: 'Explorer' },
  { to: '/accounts', label: 'Accounts' },
  { to: '/customers', label: 'Customers' },
  { to: '/invoices', label: 'Invoices', show: 'invoices' },
  { to: '/prices', label: 'Prices' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/settings', label: 'Settings' },
];

function Shell() {
  const me = useMe();
  const client = useQueryClient();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [location.pathname]);
  useEffect(() => {
    const title = NAV.find((n) => (n.to === '/' ? location.pathname === '/' : location.pathname.startsWith(n.to)))?.label;
    document.title = title ? `${title} · Meridian` : 'Meridian';
  }, [location.pathname]);

  if (me.isPending) return <Loading what="Meridian" />;
  if (me.isError) return me.error instanceof ApiRequestError && me.error.status === 401 ? <LoginPage /> : <ErrorState error={me.error} />;
  const signOut = async () => {
    await api.logout().catch(() => undefined);
    setCsrfToken(null);
    client.clear();
    await client.invalidateQueries({ queryKey: ['me'] });
  };
  const links = NAV.filter((n) => !n.show || can(me.data, n.show));
  const lazyPage = (el: React.ReactNode) => <Suspense fallback={<Loading what="page" />}>{el}</Suspense>;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Meridian</span>
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <nav id="main-nav" className={menuOpen ? 'main-nav open' : 'main-nav'} aria-label="Main">
          <ul>
            {links.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} end={n.to === '/'}>
                  {n.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-tools">
          <ThemeToggle />
          <span className="who">{me.data.user.email}</span>
          <button type="button" onClick={signOut} title={`Signed in as ${me.data.user.email}`}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={lazyPage(<OverviewPage />)} />
          <Route path="/costs/service-region" element={lazyPage(<CostByServiceRegionPage />)} />
          <Route path="/explorer" element={lazyPage(<ExplorerPage />)} />
          <Route path="/accounts" element={lazyPage(<AccountsPage />)} />
          <Route path="/customers" element={lazyPage(<CustomersPage />)} />
          <Route path="/invoices" element={lazyPage(<InvoicesPage />)} />
          <Route path="/alerts" element={lazyPage(<AlertsPage />)} />
          <Route path="/prices" element={lazyPage(<PricesPage />)} />
          <Route path="/settings" element={<Navigate to={can(me.data, 'users') ? '/settings/users' : '/settings/rates'} replace />} />
          <Route path="/settings/:tab" element={lazyPage(<SettingsPage />)} />
          <Route
            path="*"
            element={
              <section className="state-empty">
                <h1>Page not found</h1>
                <p>
                  <NavLink to="/">Back to the overview</NavLink>
                </p>
              </section>
            }
          />
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
