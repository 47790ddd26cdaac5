import { createRootRoute, createRoute, createRouter, Outlet } from '@tanstack/react-router';
import { CasePage } from './case/CasePage';
import { ConsoleLayout } from './ConsoleLayout';
import { HomeRedirect } from './HomeRedirect';
import { InboxPage } from './inbox/InboxPage';
import { NotFound } from './NotFound';
import { OpsPage } from './ops/OpsPage';
import { ReportsPage } from './reports/ReportsPage';
import { reportsSearchSchema } from './reports/search';
import { QueuePage } from './queue/QueuePage';
import { queueSearchSchema } from './queue/search';
import { SupervisorPage } from './supervisor/SupervisorPage';

/**
 * The staff console, under /console. Filters and views live in the URL's search params, typed
 * by their schemas; a URL never carries personal data (case ids only).
 */
const rootRoute = createRootRoute({
  component: () => (
    <ConsoleLayout>
      <Outlet />
    </ConsoleLayout>
  ),
  notFoundComponent: NotFound,
});

const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: HomeRedirect });
const queueRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/queue',
  validateSearch: queueSearchSchema,
  component: function QueueRoute() {
    return <QueuePage search={queueRoute.useSearch()} />;
  },
});
const caseRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/complaints/$id',
  component: function CaseRoute() {
    const { id } = caseRoute.useParams();
    return <CasePage id={id} />;
  },
});
const inboxRoute = createRoute({ getParentRoute: () => rootRoute, path: '/inbox', component: InboxPage });
const supervisorRoute = createRoute({ getParentRoute: () => rootRoute, path: '/supervisor', component: SupervisorPage });
const reportsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reports',
  validateSearch: reportsSearchSchema,
  component: function ReportsRoute() {
    return <ReportsPage search={reportsRoute.useSearch()} />;
  },
});
const opsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/ops', component: OpsPage });

const routeTree = rootRoute.addChildren([homeRoute, queueRoute, caseRoute, inboxRoute, supervisorRoute, reportsRoute, opsRoute]);
export const consoleRouter = createRouter({ routeTree, basepath: '/console', defaultPreload: false, scrollRestoration: true });
export type ConsoleRouter = typeof consoleRouter;
