/**
 * Bylines into author names.
 */

// Separators between names: ", and", ",", " and ", "&". A comma before "and"
// (the serial comma) must not leave an empty name behind.
const NAME_SEPARATOR = /\s*,\s*and\s+|\s*,\s*|\s+and\s+|\s*&\s*/i;

/**
 * The author names in a byline such as `By A and B` or `A, B and C`, in order:
 * a leading "By" is dropped, names are trimmed, empty and repeated names are left out.
 * `[]` when the byline names nobody.
 *
 * Limitation: a comma inside one name (`Jones, Jr.`) splits it in two; newsroom
 * bylines rarely do that and there is no way to tell it from a list.
 */
export function parseByline(byline: string): string[] {
  const withoutBy = byline.trim().replace(/^by\b[:\s]*/i, '');
  const names: string[] = [];
  for (const part of withoutBy.split(NAME_SEPARATOR)) {
    const name = part.replace(/\s+/g, ' ').trim();
    if (name !== '' && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Author names from a metadata value that is either one byline string or a
 * list; every list item goes through {@link parseByline} too, so `["By A and B"]`
 * gives `["A", "B"]`. Never contains empty or repeated names.
 */
export function parseAuthors(value: string | readonly string[]): string[] {
  const items = typeof value === 'string' ? [value] : value;
  const names: string[] = [];
  for (const item of items) {
    for (const name of parseByline(item)) if (!names.includes(name)) names.push(name);
  }
  return names;
}
