import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function openApiDocument(registry: OpenAPIRegistry) {
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey', in: 'cookie', name: 'complaints.sid',
    description: 'A signed-in person\'s session (/auth/login). Every POST with it also sends X-CSRF-Token (from GET /api/v1/me) and comes from the service\'s own origin.',
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Complaint platform API',
      version,
      description:
        'After-sales complaint handling (api-v1.md). Errors are application/problem+json (RFC 9457). ' +
        'Bearer JWT (HS256) with claims sub, role and, for the department role, department. ' +
        'Every rule the server applies to a request is in this document (a body is required when {} does not satisfy it); ' +
        'list cursors are opaque; a method a path does not list answers 405 with Allow.',
    },
    servers: [{ url: '/' }],
  });
}
