/**
 * JSON text joined without parsing it (decision 036): a list sends each case's stored snapshot
 * as the text it was written as, beside members computed per request.
 */

/**
 * One object's text from the texts of several (each as `JSON.stringify` writes an object), their
 * members in order. A name given twice is read as the later one, as with object spread.
 */
export function mergedObjectText(...objects: string[]): string {
  return `{${objects.map(membersOf).filter((members) => members !== '').join(',')}}`;
}

/** An array's text from its items' texts. */
export const arrayText = (items: readonly string[]): string => `[${items.join(',')}]`;

function membersOf(text: string): string {
  if (!text.startsWith('{') || !text.endsWith('}')) throw new TypeError(`Not the text of a JSON object: ${text.slice(0, 40)}`);
  return text.slice(1, -1);
}
