/**
 * Prints the API's OpenAPI document (the one `GET /openapi.json` serves) without starting any
 * server: the routes only declare themselves. The web client is generated from it
 * (`npm run web:client`).
 */
import { apiRoutes, type AppDeps } from '../api/app';
import { openApiDocument } from '../api/openapi';

export function currentOpenApiDocument() {
  // Declaring a route reads none of its dependencies; they are used only when a request comes.
  const { registry } = apiRoutes({} as Parameters<typeof apiRoutes>[0] satisfies Partial<AppDeps>);
  return openApiDocument(registry);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(currentOpenApiDocument(), null, 2)}\n`);
}
