import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const generator = path.resolve(import.meta.dirname, '..', '..', 'web', 'scripts', 'generate-client.mjs');

/**
 * The web apps' API client is generated from the API's OpenAPI document (never written by hand):
 * the committed types must be what the generator makes of the document as the API declares it
 * now. After a change of the API: `npm run web:client`.
 */
describe('the generated web client', () => {
  it('is up to date with the OpenAPI document', async () => {
    const { generatedSchema, schemaFile } = (await import(pathToFileURL(generator).href)) as {
      generatedSchema: () => Promise<string>;
      schemaFile: string;
    };
    const committed = readFileSync(schemaFile, 'utf8');
    expect(committed.includes('"clocks"') || committed.includes('clocks:')).toBe(true);
    expect(await generatedSchema(), 'web/src/api/schema.d.ts is older than the API: run `npm run web:client`').toBe(committed);
  }, 60_000);
});
