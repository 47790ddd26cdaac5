import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { NotificationOutbox } from '../activities/outbox';
import type { ComplaintReadModel } from '../activities/read-model';
import type { Logger } from '../runtime/logger';
import type { SlaPolicySource } from '../runtime/sla-policy-file';
import { authenticate } from './auth';
import { healthRoutes, type ReadinessChecks } from './health';
import { complaintRoutes } from './complaints';
import { notFoundRoute, problemHandler } from './problem';

export interface AppDeps {
  temporal: Client;
  taskQueue: string;
  readModel: ComplaintReadModel;
  outbox: NotificationOutbox;
  slaPolicy: SlaPolicySource;
  jwtSecret: string;
  logger: Logger;
  /** Named readiness checks; each resolves when its dependency answers. */
  readiness: ReadinessChecks;
}

/** The HTTP face of the service: it translates requests to client calls and back. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.json({ limit: '64kb' }));

  app.use(healthRoutes(deps.readiness));
  app.use('/api/v1', authenticate(deps.jwtSecret), complaintRoutes(deps));
  app.use(notFoundRoute);
  app.use(problemHandler(deps.logger));
  return app;
}
