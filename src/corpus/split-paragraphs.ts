/**
 * Paragraph splitting shared by every text format: blank lines separate
 * paragraphs, and a paragraph's own line breaks are just spaces.
 */

import { isWhitespace } from '../analysis/is-whitespace.js';

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
  // Not `text.replace(/\s+/g, ' ')`: on a 20 MB text without paragraphs it holds millions
  // of match parts at once (about 10× the text). Only runs other than a single space are
  // replaced, found by a scan (a regular expression made a match for every space between
  // two words), and the parts are joined every few thousand, so the working memory stays a
  // small multiple of the text.
  const chunks: string[] = [];
  let parts: string[] = [];
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (!isWhitespace(c)) continue;
    let end = i + 1;
    while (end < n && isWhitespace(text.charCodeAt(end))) end++;
    if (c !== 32 || end !== i + 1) {
      parts.push(text.slice(copied, i), ' ');
      copied = end;
      if (parts.length >= 4096) {
        chunks.push(parts.join(''));
        parts = [];
      }
    }
    i = end;
  }
  if (copied === 0) return text.trim();
  parts.push(text.slice(copied));
  chunks.push(parts.join(''));
  return chunks.join('').trim();
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

/** Longest paragraph kept whole, in UTF-16 code units: longer ones are split (see {@link splitLongParagraph}). */
export const MAX_PARAGRAPH_LENGTH = 4000;

/**
 * A paragraph longer than `max` code units, split into pieces of at most `max`:
 * after the last sentence end (`. `, `! `, `? `) in the second half of the window,
 * else at the last space, else (one enormous word) exactly at `max`, never inside
 * a surrogate pair. A text without paragraph breaks (a whole body on one line)
 * would otherwise make one huge paragraph that every snippet and highlight
 * re-tokenizes. Shorter paragraphs come back unchanged, alone.
 */
export function splitLongParagraph(paragraph: string, max = MAX_PARAGRAPH_LENGTH): string[] {
  const pieces: string[] = [];
  let rest = paragraph;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = Math.max(window.lastIndexOf('. '), window.lastIndexOf('! '), window.lastIndexOf('? '));
    if (cut >= max / 2) cut += 1;
    else cut = window.lastIndexOf(' ');
    if (cut <= 0) {
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest !== '') pieces.push(rest);
  return pieces.filter((piece) => piece !== '');
}
