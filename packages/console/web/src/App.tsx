/** The console: the common layout and every area's pages. */
import type { ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { SessionProvider } from './auth/session';
import { Layout } from './layout/Layout';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import type { AreaRoute } from './pages/area-route';
import { publicRoutes } from './pages/public/routes';
import { citizenRoutes } from './pages/citizen/routes';
import { researcherRoutes } from './pages/researcher/routes';
import { reviewerRoutes } from './pages/reviewer/routes';
import { analystRoutes } from './pages/analyst/routes';
import { adminRoutes } from './pages/admin/routes';

const AREAS: readonly (readonly AreaRoute[])[] = [
  publicRoutes,
  citizenRoutes,
  researcherRoutes,
  reviewerRoutes,
  analystRoutes,
  adminRoutes,
];

export function App(): ReactNode {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route element={<Layout />}>
            {AREAS.flat().map((r) => (
              <Route key={r.path} path={r.path} element={r.element} />
            ))}
            <Route path="/connexion" element={<LoginPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
