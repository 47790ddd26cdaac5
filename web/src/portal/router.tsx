import { createRootRoute, createRoute, createRouter, Outlet } from '@tanstack/react-router';
import { CasePage } from './case/CasePage';
import { MyComplaints } from './home/MyComplaints';
import { NewComplaint } from './new/NewComplaint';
import { NotFound } from './NotFound';
import { PortalLayout } from './PortalLayout';

/** The consumer portal: `/` (my complaints), `/new`, `/complaints/$id` (ids only in URLs). */
const rootRoute = createRootRoute({
  component: () => (
    <PortalLayout>
      <Outlet />
    </PortalLayout>
  ),
  notFoundComponent: NotFound,
});

const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: MyComplaints });
const newRoute = createRoute({ getParentRoute: () => rootRoute, path: '/new', component: NewComplaint });
const caseRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/complaints/$id',
  component: function CaseRoute() {
    const { id } = caseRoute.useParams();
    return <CasePage id={id} />;
  },
});

const routeTree = rootRoute.addChildren([homeRoute, newRoute, caseRoute]);
export const portalRouter = createRouter({ routeTree, defaultPreload: false, scrollRestoration: true });
export type PortalRouter = typeof portalRouter;
