import { extendZodWithOpenApi, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type Response } from 'express';
import { z, type ZodType } from 'zod';
import type { Actor, Role } from '../domain/complaint-schema';
import { allow } from './auth';
import { methodNotAllowed, zodProblem } from './problem';

/**
 * Each endpoint is declared once: its path, roles and zod schemas validate the request here
 * and describe it in the OpenAPI document. Handlers receive parsed input and return a result.
 */
export interface EndpointSpec<B extends ZodType | undefined, Q extends ZodType | undefined> {
  method: 'get' | 'post';
  /** OpenAPI style: `/complaints/{id}`, relative to the router's mount point. */
  path: string;
  summary: string;
  tag: string;
  /** Who may call it; `undefined` = no token needed. */
  roles?: Role[];
  body?: B;
  query?: Q;
  /** The success status and schema of its body. */
  response: { status: number; schema?: ZodType; description: string; alternatives?: Record<string, string> };
  /** Error statuses beyond the generic ones (400, 401, 403, 429 come with roles and input). */
  errors?: number[];
  /** Request headers it reads: validated before the handler runs, and documented, from this one schema. */
  headers?: ZodType;
}

export interface HandlerInput<B, Q> {
  body: B;
  query: Q;
  params: Record<string, string>;
  principal: Actor;
  req: Request;
  res: Response;
}

export interface HandlerResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body`, already serialised (HTML, CSV, JSON text), as is with this type instead of serialising it as JSON. */
  contentType?: string;
}

// Lets schemas be registered as named OpenAPI components.
extendZodWithOpenApi(z);

type Infer<T> = T extends ZodType ? z.infer<T> : undefined;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    state: z.string().optional().describe('The complaint state that refused the action (409).'),
    existingId: z.string().optional().describe('The open complaint for the same order (409 on intake).'),
  })
  .passthrough();

const errorDescriptions: Record<number, string> = {
  400: 'Invalid body or query',
  401: 'No or invalid bearer token, and no signed-in session',
  403: 'Role not allowed',
  404: 'Unknown complaint (also for a consumer asking for someone else\'s)',
  409: 'Action not allowed in the current state (the detail names it)',
  413: 'Body too large (64 KB)',
  415: 'Not JSON',
  422: 'Idempotency key reused with a different body',
  429: 'Rate limited',
};

export class ApiBuilder {
  readonly router = Router();
  /** The methods of each path (Express style), for the 405 answers. */
  private readonly methodsByPath = new Map<string, Set<string>>();
  /** The registered Problem schema: its uses become `$ref`s, not copies. */
  private readonly problem: ZodType;

  constructor(
    readonly registry: OpenAPIRegistry,
    /** Where the router is mounted, for the OpenAPI paths (`/api/v1`). */
    private readonly base: string,
  ) {
    this.problem = registry.register('Problem', problemSchema);
  }

  add<B extends ZodType | undefined, Q extends ZodType | undefined>(
    spec: EndpointSpec<B, Q>,
    handler: (input: HandlerInput<Infer<B>, Infer<Q>>) => Promise<HandlerResult>,
  ): this {
    this.document(spec);
    const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
    const methods = this.methodsByPath.get(expressPath) ?? new Set<string>();
    this.methodsByPath.set(expressPath, methods.add(spec.method.toUpperCase()));
    const guards = spec.roles ? [allow(...spec.roles)] : [];
    this.router[spec.method](expressPath, ...guards, async (req: Request, res: Response) => {
      res.locals.route = `${this.base}${spec.path}`;
      if (spec.headers) parse(spec.headers, req.headers, []);
      const body = spec.body ? parse(spec.body, req.body ?? {}, []) : undefined;
      const query = spec.query ? parse(spec.query, req.query, []) : undefined;
      const result = await handler({
        body: body as Infer<B>,
        query: query as Infer<Q>,
        params: Object.fromEntries(Object.entries(req.params).map(([k, v]) => [k, String(v)])),
        principal: req.principal!,
        req,
        res,
      });
      for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
      res.status(result.status ?? spec.response.status);
      if (result.body === undefined) res.end();
      else if (result.contentType) res.type(result.contentType).send(result.body);
      else res.json(result.body);
    });
    return this;
  }

  /**
   * Once, after every route was added: a method a known path does not support is 405 with
   * `Allow` (RFC 9110), not the 404 of an unknown path.
   */
  refuseOtherMethods(): this {
    for (const [path, methods] of this.methodsByPath) {
      const route = `${this.base}${path.replace(/:(\w+)/g, '{$1}')}`;
      const refuse = methodNotAllowed([...methods]);
      this.router.all(path, (req, res, next) => {
        res.locals.route = route;
        refuse(req, res, next);
      });
    }
    return this;
  }

  private document(spec: EndpointSpec<ZodType | undefined, ZodType | undefined>): void {
    const errors = new Set<number>([...(spec.errors ?? []), 429]);
    if (spec.roles) [401, 403].forEach((s) => errors.add(s));
    if (spec.body) [400, 413, 415].forEach((s) => errors.add(s));
    if (spec.query || spec.headers) errors.add(400);
    const params = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const route: RouteConfig = {
      method: spec.method,
      path: `${this.base}${spec.path}`,
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.roles ? { security: [{ bearer: [] }, { session: [] }], description: `Roles: ${spec.roles.join(', ')}.` } : {}),
      request: {
        ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
        ...(spec.query ? { query: spec.query as never } : {}),
        ...(spec.headers ? { headers: spec.headers as never } : {}),
        // The server reads a missing body as `{}`: only a body that `{}` does not satisfy is required.
        ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } }, required: !spec.body.safeParse({}).success } } : {}),
      },
      responses: {
        ...successResponses(spec),
        ...Object.fromEntries(
          [...errors].sort().map((status) => [
            status,
            { description: errorDescriptions[status] ?? 'Error', content: { 'application/problem+json': { schema: this.problem } } },
          ]),
        ),
      },
    };
    this.registry.registerPath(route);
  }
}

/**
 * The success answers. A creation that takes an Idempotency-Key answers a repeat with the
 * first answer's body as 200 (api-v1.md, intake), so that status is documented with it.
 */
function successResponses(spec: EndpointSpec<ZodType | undefined, ZodType | undefined>): RouteConfig['responses'] {
  const { status, schema, description, alternatives = {} } = spec.response;
  const content = schema
    ? {
        content: {
          'application/json': { schema },
          ...Object.fromEntries(Object.entries(alternatives).map(([type, text]) => [type, { schema: z.string().describe(text) }])),
        },
      }
    : {};
  const repeatable = status === 201 && spec.headers instanceof z.ZodObject && 'idempotency-key' in spec.headers.shape;
  return {
    [status]: { description, ...content },
    ...(repeatable ? { 200: { description: 'A repeat of the request with the same Idempotency-Key and body: the first answer', ...content } } : {}),
  };
}

function parse(schema: ZodType, value: unknown, prefix: string[]): unknown {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw zodProblem(parsed.error, prefix);
  return parsed.data;
}
