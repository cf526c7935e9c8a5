/**
 * Sentence numbers for the tokens of a text (a paragraph or a headline), for `w/s`.
 *
 * A sentence ends between two tokens when the text between them holds `.`, `!`,
 * `?` or `…` followed by white space (closing quotes and brackets may come
 * between), or a line break. A period right after an abbreviation does not end
 * one: after a dotted initialism (`U.S.`, `a.m.`), a single letter (`John F.
 * Kennedy`) or a word of {@link PERIOD_ABBREVIATIONS} (`Mr.`, `Gen.`, `Inc.`).
 * The price: `… in the U.S. The next …` is read as one sentence (a `w/s` then
 * finds a little too much, never too little). Decimal points and digit groups
 * are inside tokens (`1.3`), so they never end a sentence.
 */

import { PERIOD_ABBREVIATIONS } from './abbreviations.js';
import type { Token } from './tokenize.js';

const END = /[.!?\u2026]["'\u201d\u2019)\]]*\s|\n/;

/** True when the period right after `token` belongs to it as an abbreviation. */
function isAbbreviation(text: string, token: Token): boolean {
  const raw = text.slice(token.start, token.end);
  if (raw.includes('.')) return true;
  if (raw.length === 1 && /\p{L}/u.test(raw)) return true;
  return PERIOD_ABBREVIATIONS.has(raw.toLowerCase());
}

/**
 * The sentence number of each token of `tokens` (as `tokenize(text)` makes them):
 * 0 for the first sentence, then one more after each sentence end (see the module comment).
 */
export function numberSentences(text: string, tokens: readonly Token[]): Int32Array {
  const numbers = new Int32Array(tokens.length);
  let sentence = 0;
  for (let i = 1; i < tokens.length; i++) {
    const previous = tokens[i - 1]!;
    const gap = text.slice(previous.end, tokens[i]!.start);
    const end = END.exec(gap);
    if (end && !(end.index === 0 && gap[0] === '.' && isAbbreviation(text, previous))) sentence++;
    numbers[i] = sentence;
  }
  return numbers;
}
