import { describe, expect, it } from 'vitest';
import { arrayText, mergedObjectText } from '../../api/json-text';

describe('JSON text joined without parsing (decision 036)', () => {
  it('merges objects\' texts into one object with their members in order', () => {
    const stored = JSON.stringify({ status: 'received', contact: { name: 'Li "Wei"' }, tags: ['a,b', '}'] });
    const text = mergedObjectText(JSON.stringify({ id: 'c-1' }), stored, JSON.stringify({ sla: { state: 'met' } }));
    expect(JSON.parse(text)).toEqual({ id: 'c-1', status: 'received', contact: { name: 'Li "Wei"' }, tags: ['a,b', '}'], sla: { state: 'met' } });
    expect(Object.keys(JSON.parse(text))).toEqual(['id', 'status', 'contact', 'tags', 'sla']);
    expect(text).toBe(JSON.stringify({ id: 'c-1', ...JSON.parse(stored), sla: { state: 'met' } }));
  });

  it('leaves out empty objects, and reads a name given twice as the later one, as spread does', () => {
    expect(mergedObjectText('{}', '{"a":1}', '{}')).toBe('{"a":1}');
    expect(mergedObjectText('{}', '{}')).toBe('{}');
    expect(JSON.parse(mergedObjectText('{"a":1,"b":2}', '{"a":3}'))).toEqual({ ...{ a: 1, b: 2 }, ...{ a: 3 } });
  });

  it('refuses a text that is not an object\'s', () => {
    expect(() => mergedObjectText('[1]')).toThrow(/not the text of a JSON object/i);
    expect(() => mergedObjectText('"x"')).toThrow(TypeError);
  });

  it('joins items\' texts into an array', () => {
    expect(JSON.parse(arrayText(['{"a":1}', '2', '"3"']))).toEqual([{ a: 1 }, 2, '3']);
    expect(arrayText([])).toBe('[]');
  });
});
