import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { CostByServiceRegionPage } from './features/cost-by-service-region/CostByServiceRegionPage';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 30_000 } } });

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <nav className="topbar" aria-label="Main">
          <span className="brand">Meridian</span>
          <a href="/costs/service-region" aria-current="page">
            Cost by service and region
          </a>
        </nav>
        <main id="main">
          <Routes>
            <Route path="/" element={<Navigate to="/costs/service-region" replace />} />
            <Route path="/costs/service-region" element={<CostByServiceRegionPage />} />
            <Route path="*" element={<p>Page not found.</p>} />
          </Routes>
        </main>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
