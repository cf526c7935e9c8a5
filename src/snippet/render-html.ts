import type { Highlight } from './find-highlights.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const NEEDS_ESCAPE = /[&<>"']/;

/** `text` with `& < > " '` escaped for HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!) : text;
}

/**
 * `text` escaped, with each highlight wrapped in `<mark>` and `</mark>`: the only
 * tags the output can contain. Escapes first, then marks, segment by segment.
 * `highlights` must be sorted and disjoint, with offsets into `text`.
 */
export function renderHtml(text: string, highlights: readonly Pick<Highlight, 'start' | 'length'>[]): string {
  let html = '';
  let at = 0;
  for (const h of highlights) {
    html +=
      escapeHtml(text.slice(at, h.start)) + '<mark>' + escapeHtml(text.slice(h.start, h.start + h.length)) + '</mark>';
    at = h.start + h.length;
  }
  return html + escapeHtml(text.slice(at));
}
