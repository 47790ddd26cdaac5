import { describe, expect, it } from 'vitest';
import { reason } from '../../api/ops';
import { currentOpenApiDocument } from '../../scripts/openapi';

/** An ops reason: at least 3 characters once trimmed, counted as JSON Schema counts them. */
describe('an ops reason', () => {
  it('counts code points, as its pattern in the OpenAPI document does: a surrogate pair is one character', () => {
    // Trimmed: U+000E and U+59EE5 — two characters (three UTF-16 units). The fuzzer found it accepted.
    expect(reason.safeParse('\u000b\u000e\ud927\udee5').success).toBe(false);
    expect(reason.safeParse('a\u{1F600}b').success).toBe(true);
  });

  it('refuses one that is blank or shorter than 3 once trimmed, and takes a real one', () => {
    expect(['', '   ', ' ab ', '\u3000ab\u3000'].map((text) => reason.safeParse(text).success)).toEqual([false, false, false, false]);
    expect(reason.parse('  Court order 2026-117 ')).toBe('Court order 2026-117');
  });

  it('states the same rule in the OpenAPI document: a plain pattern that, counting code points, refuses the same text', () => {
    const doc = currentOpenApiDocument() as unknown as { paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: { reason: { pattern: string } } } }> } } }> };
    const pattern = doc.paths['/api/v1/ops/complaints/{id}/terminate']!.post.requestBody.content['application/json']!.schema.properties.reason.pattern;
    const asJsonSchemaMeansIt = new RegExp(pattern, 'u');
    for (const text of ['\u000e\ud927\udee5', 'a\u{1F600}b', 'ab', 'abc']) expect(asJsonSchemaMeansIt.test(text), text).toBe(reason.safeParse(text).success);
  });
});
