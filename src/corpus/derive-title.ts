/**
 * A headline for articles that have none: the first sentence of the story.
 */

import { PERIOD_ABBREVIATIONS } from '../analysis/abbreviations.js';
import { parseDateline } from './parse-dateline.js';

/** Longest derived title, in UTF-16 units, `…` included. Long enough for a typical lead sentence. */
export const MAX_DERIVED_TITLE_LENGTH = 120;

/**
 * The first sentence of `text`, closing punctuation and quotes included. A '.' after an
 * abbreviation (or after a single capital, as in "U.S.") does not end a sentence.
 */
function firstSentence(text: string): string {
  const end = /[.!?]+["'”’)]*(?=\s|$)/g;
  for (let match = end.exec(text); match; match = end.exec(text)) {
    const stop = match.index + match[0].length;
    if (text[match.index] === '.') {
      const word = /([A-Za-z]+)$/.exec(text.slice(0, match.index))?.[1] ?? '';
      if (/^[A-Z]$/.test(word) || PERIOD_ABBREVIATIONS.has(word.toLowerCase())) continue;
    }
    return text.slice(0, stop);
  }
  return text;
}

/** `text` cut at the last word boundary that leaves room for `…`, when it is too long. */
function truncateAtWord(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const room = text.slice(0, maxLength - 1);
  // The room ends at a word boundary when the next character is a space.
  const lastSpace = /\s/.test(text[maxLength - 1] ?? '') ? room.length : room.lastIndexOf(' ');
  // A single word longer than the limit is cut inside the word rather than kept whole.
  const cut = lastSpace > 0 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s,;:–—-]+$/, '')}…`;
}

/**
 * A title derived from an article's first paragraph: its first sentence, without
 * a leading dateline such as `(CNN) — `, kept whole when it fits in
 * {@link MAX_DERIVED_TITLE_LENGTH} units, else cut at a word boundary and ended with `…`.
 * `''` only when the paragraph is empty; callers supply their own fallback then.
 */
export function deriveTitle(firstParagraph: string): string {
  const dateline = parseDateline(firstParagraph);
  const story = (dateline ? firstParagraph.slice(dateline.length) : firstParagraph).trim();
  return truncateAtWord(firstSentence(story), MAX_DERIVED_TITLE_LENGTH);
}
