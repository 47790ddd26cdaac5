import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Client } from '@temporalio/client';
import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { NotificationOutbox } from '../activities/outbox';
import type { ComplaintReadModel } from '../activities/read-model';
import type { Logger } from '../runtime/logger';
import type { SlaPolicySource } from '../runtime/sla-policy-file';
import type { LinkPolicy } from '../domain/evidence-links';
import { authenticate, type TokenRules } from './auth';
import { codecRoutes, type CodecRoutesDeps } from './codec';
import { complaintRoutes } from './complaints';
import { healthRoutes, type ReadinessChecks } from './health';
import type { HttpMetrics } from './metrics';
import { openApiDocument } from './openapi';
import { opsRoutes } from './ops';
import { reopenRoute } from './reopen';
import { whatIfRoute } from './what-if';
import { erasureRoutes } from './erasure';
import type { ErasureService } from '../services/erasure';
import type { CaseKeyProvisioning } from './complaints';
import { reportRoutes } from './reports';
import type { ReportService } from '../services/reports';
import type { OpsService } from '../services/ops';
import type { WhatIfService } from '../services/what-if';
import { methodNotAllowed, notFoundRoute, problemHandler, sendProblem } from './problem';
import { ApiBuilder } from './route';
import { meRoute } from '../identity/sign-in/me-route';
import { webAssets } from './web/web-assets';
import { temporalUiPath, temporalUiProxy } from './web/temporal-ui-proxy';
import type { SignIn } from '../identity/sign-in/sign-in';

export interface AppDeps {
  temporal: Client;
  taskQueue: string;
  readModel: ComplaintReadModel;
  outbox: NotificationOutbox;
  slaPolicy: SlaPolicySource;
  /** Evidence links: plain http outside production only. */
  linkPolicy?: LinkPolicy;
  jwtSecret: string;
  /** `iss` / `aud` a token must carry, when configured. */
  tokenRules: TokenRules;
  logger: Logger;
  /** Named readiness checks; each resolves when its dependency answers. */
  readiness: ReadinessChecks;
  metrics: HttpMetrics;
  codec: CodecRoutesDeps['codec'];
  /** The codec endpoint's own body limit and rate limit. */
  codecLimits: Pick<CodecRoutesDeps, 'bodyLimitBytes' | 'rateLimitPerMinute'>;
  /** Requests per minute per token. */
  rateLimitPerMinute: number;
  /** Origins allowed to call the API from a browser (the Temporal UI for the codec). */
  corsOrigins: string[];
  ops: OpsService;
  reports: ReportService;
  whatIf: WhatIfService;
  /** Erasure of a closed case's personal data (issue 24). */
  erasure: ErasureService;
  /** Each new case's own key is made before its workflow starts (decision 021). */
  caseKeys: CaseKeyProvisioning;
  /** The built web apps (web/dist by default). */
  webDistDir?: string;
  /** The Temporal Web UI, when there is one: the case page links ops to each workflow. */
  temporalUi?: { url: string; namespace: string; proxyTo?: string };
  /** People signing in through OpenID Connect (sessions, /auth/*); bearer tokens only without it. */
  signIn?: SignIn;
}

/** The HTTP face of the service: it translates requests to client calls and back. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(deps.metrics.middleware());
  // Before helmet and the body parsers: the UI sets its own headers, and its bodies pass as they are.
  if (deps.temporalUi?.proxyTo && deps.signIn) app.use(temporalUiPath, ...temporalUiProxy(deps.temporalUi.proxyTo, deps.signIn.sessions));
  // same-origin, not helmet's no-referrer: with no-referrer browsers send `Origin: null` on the
  // service's own form posts and fetches, and the CSRF check of sessions reads that Origin.
  app.use(helmet({ referrerPolicy: { policy: 'same-origin' } }));
  if (deps.corsOrigins.length > 0) {
    app.use(cors({ origin: deps.corsOrigins, allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-namespace'] }));
  }
  if (deps.signIn) {
    // Sessions load only for requests that carry the cookie; sign-out is a form post.
    app.use(...deps.signIn.sessions);
    app.use(deps.signIn.routes);
  }
  app.use(jsonOnly);
  // Before the 64 KB parser: the codec reads its (larger) bodies itself, after the token.
  app.use('/codec', authenticate(deps.jwtSecret, deps.tokenRules, deps.signIn?.authentication({ forCodec: true })), codecRoutes({ codec: deps.codec, ...deps.codecLimits, logger: deps.logger }));
  app.use(express.json({ limit: '64kb', type: () => true }));

  app.use(healthRoutes(deps.readiness));

  const { api, registry } = apiRoutes(deps);
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: deps.rateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `${req.principal!.role}:${req.principal!.sub}`,
    handler: (_req, res) => sendProblem(res, 429, 'Too Many Requests', `At most ${deps.rateLimitPerMinute} requests a minute per token.`),
  });
  app.use('/api/v1', authenticate(deps.jwtSecret, deps.tokenRules, deps.signIn?.authentication()), limiter, api.router);

  const document = openApiDocument(registry);
  app.get('/openapi.json', (_req, res) => res.json(document));
  app.all(['/openapi.json', '/healthz', '/readyz'], methodNotAllowed(['GET']));
  serveDocs(app);
  app.use(webAssets(deps.webDistDir));
  app.use(notFoundRoute);
  app.use(problemHandler(deps.logger));
  return app;
}

/** Every endpoint of /api/v1, declared once: the router and the OpenAPI document come from it. */
export function apiRoutes(deps: Pick<AppDeps, 'temporal' | 'taskQueue' | 'readModel' | 'outbox' | 'slaPolicy' | 'linkPolicy' | 'ops' | 'reports' | 'whatIf' | 'temporalUi' | 'erasure' | 'caseKeys'>) {
  const registry = new OpenAPIRegistry();
  const api = new ApiBuilder(registry, '/api/v1');
  complaintRoutes(api, deps);
  reopenRoute(api, deps);
  opsRoutes(api, deps.ops);
  reportRoutes(api, deps.reports);
  whatIfRoute(api, deps.whatIf, deps.slaPolicy);
  erasureRoutes(api, deps.erasure);
  meRoute(api);
  api.refuseOtherMethods();
  return { api, registry };
}

/** A body that is there must be JSON (415 otherwise); an empty one is fine for actions. */
const jsonOnly: RequestHandler = (req, res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    return sendProblem(res, 415, 'Unsupported Media Type', 'Send the body as application/json.');
  }
  next();
};

/** Swagger UI from the swagger-ui-dist package, served locally (no CDN). */
function serveDocs(app: Express): void {
  const require = createRequire(import.meta.url);
  const assets = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  app.get('/docs/swagger-initializer.js', (_req, res) => {
    res.type('application/javascript').send(
      "window.onload = () => { window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' }); };",
    );
  });
  app.get('/docs', (req, res, next) => (req.path.endsWith('/') ? next() : res.redirect(301, '/docs/')));
  app.use('/docs/', express.static(assets, { index: 'index.html' }));
}
