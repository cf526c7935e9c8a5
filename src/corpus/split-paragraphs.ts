/**
 * Paragraph splitting shared by every text format: blank lines separate
 * paragraphs, and a paragraph's own line breaks are just spaces.
 */

/**
 * The text with a leading byte-order mark removed and CRLF / lone CR line ends
 * turned into LF, so that line numbers and blank-line tests agree across platforms.
 */
export function normalizeLineEnds(text: string): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return withoutBom.replace(/\r\n?/g, '\n');
}

/**
 * One paragraph's text: trimmed, with every inner run of whitespace (line breaks
 * included) collapsed to a single space. Nothing else changes: quotes, dashes
 * and case stay as written.
 */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The paragraphs of a text, in order: runs of non-blank lines separated by one
 * or more blank (empty or whitespace-only) lines, each collapsed with
 * {@link collapseWhitespace}. Never contains an empty string; `[]` for blank text.
 */
export function splitParagraphs(text: string): string[] {
  return normalizeLineEnds(text)
    .split(/\n[ \t\f\v\u00a0]*\n\s*/)
    .map(collapseWhitespace)
    .filter((paragraph) => paragraph !== '');
}
