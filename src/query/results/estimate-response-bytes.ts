import type { SearchResponse } from '../search-archive.js';

/** Bytes of heap per JavaScript object (header, hidden class, a few fields): an estimate. */
const OBJECT_BYTES = 64;

function stringBytes(value: string | null): number {
  // V8 keeps one-byte strings at 1 byte a character, others at 2; assume 2 to stay on the safe side.
  return value === null ? 0 : 16 + value.length * 2;
}

/**
 * An estimate, in bytes, of the heap a search response holds: its strings at two
 * bytes a character plus a fixed cost per object. Meant for bounding a cache in
 * bytes, not for accounting: within a factor of about 2 of what V8 uses, and
 * linear in the response's size (a 500 kB JSON response estimates to about 1 MB).
 */
export function estimateResponseBytes(response: SearchResponse): number {
  let bytes = OBJECT_BYTES * 4 + stringBytes(response.query);
  for (const hit of response.hits) {
    bytes += OBJECT_BYTES + stringBytes(hit.articleId) + stringBytes(hit.title) + stringBytes(hit.titleHtml);
    bytes += stringBytes(hit.date) + stringBytes(hit.source) + stringBytes(hit.section) + stringBytes(hit.url);
    for (const author of hit.authors) bytes += stringBytes(author);
    for (const tag of hit.tags) bytes += stringBytes(tag);
    for (const snippet of hit.snippets) {
      bytes += OBJECT_BYTES + stringBytes(snippet.paragraphId) + stringBytes(snippet.text) + stringBytes(snippet.html);
      bytes += snippet.highlights.length * OBJECT_BYTES;
    }
  }
  for (const counts of Object.values(response.facetDistribution)) {
    for (const value of Object.keys(counts ?? {})) bytes += stringBytes(value) + 16;
  }
  return bytes;
}
