import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { reason } from '../../api/ops';

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

  it('states the same rule in the document: its pattern refuses the same text', () => {
    const pattern = (z.toJSONSchema(reason) as { pattern?: string }).pattern;
    expect(pattern).toBeDefined();
    expect(new RegExp(pattern!, 'u').test('\u000e\ud927\udee5')).toBe(false);
  });
});
