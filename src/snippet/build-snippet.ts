import { tokenize } from '../analysis/tokenize.js';
import type { Highlight, Highlighter } from './find-highlights.js';
import { renderHtml } from './render-html.js';

/** A highlight as the API returns it: offsets into the snippet's `text`. */
export interface SnippetHighlight {
  start: number;
  length: number;
  term: string;
  kind: Highlight['kind'];
}

/** A snippet: a window of a paragraph, as text and as escaped HTML with marks. */
export interface Snippet {
  /** Plain text of the window, with `…` where the paragraph was cut. */
  text: string;
  /** `text` HTML-escaped, with every highlight wrapped in `<mark>`. */
  html: string;
  /** Sorted, disjoint; `text.slice(start, start + length)` is the highlighted word. */
  highlights: SnippetHighlight[];
  croppedStart: boolean;
  croppedEnd: boolean;
}

const ELLIPSIS = '…';
/** Most highlights considered when choosing a window. */
const MAX_MARKS = 200;

interface Word {
  start: number;
  end: number;
}

/** Whitespace-separated words of a text, with offsets (UTF-16 units). */
function splitWords(text: string): Word[] {
  const words: Word[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) words.push({ start: m.index, end: m.index + m[0].length });
  return words;
}

function startsSentence(text: string, words: Word[], i: number): boolean {
  if (i === 0) return true;
  return /[.!?]["'”’)]*$/.test(text.slice(words[i - 1]!.start, words[i - 1]!.end));
}

/**
 * Chooses which `cropLength` consecutive words of a paragraph to show: the window
 * that holds the most distinct query clauses; among those, the one whose matches
 * lie closest together; then one that starts a sentence; then the one that best
 * centres its matches; then the earliest. Returns word indexes [first, last].
 */
export function chooseWindow(
  text: string,
  words: Word[],
  highlights: readonly Highlight[],
  cropLength: number,
): [number, number] {
  const n = words.length;
  if (n <= cropLength) return [0, n - 1];
  // Words spanned by each highlight; the words of one phrase occurrence make one mark.
  const marks: { word: number; last: number; clause: number }[] = [];
  let w = 0;
  let previous: Highlight | undefined;
  for (const h of highlights) {
    while (w < n && words[w]!.end <= h.start) w++;
    if (w >= n) break;
    const mark = marks[marks.length - 1];
    if (mark && h.occurrence !== undefined && h.occurrence === previous?.occurrence) mark.last = w;
    else marks.push({ word: w, last: w, clause: h.clause });
    previous = h;
  }
  if (marks.length === 0) return [0, cropLength - 1];

  // Candidate windows: each starting at a match, ending at a match, or at a
  // sentence start before a match; at most MAX_MARKS matches are considered, so a
  // huge paragraph costs O(words + MAX_MARKS²) at worst, not O(words × matches).
  const considered = marks.slice(0, MAX_MARKS);
  const candidates = new Set<number>();
  const clamp = (first: number) => Math.max(0, Math.min(n - cropLength, first));
  for (const m of considered) {
    candidates.add(clamp(m.word));
    candidates.add(clamp(m.last - cropLength + 1));
    candidates.add(clamp(m.word - Math.floor(cropLength / 2)));
    for (let s = m.word; s > m.word - cropLength && s >= 0; s--) {
      if (startsSentence(text, words, s)) {
        candidates.add(clamp(s));
        break;
      }
    }
  }
  let best: [number, number] = [0, cropLength - 1];
  let bestKey: number[] | null = null;
  for (const first of [...candidates].sort((a, b) => a - b)) {
    const last = first + cropLength - 1;
    const inside = considered.filter((m) => m.word >= first && m.last <= last);
    const distinct = new Set(inside.map((m) => m.clause)).size;
    const span = inside.length ? inside[inside.length - 1]!.last - inside[0]!.word : cropLength;
    const sentence = startsSentence(text, words, first) ? 0 : 1;
    const centre = inside.length ? Math.abs((inside[0]!.word + inside[inside.length - 1]!.last) / 2 - (first + last) / 2) : 0;
    const key = [-distinct, span, sentence, centre];
    if (!bestKey || compareKeys(key, bestKey) < 0) {
      bestKey = key;
      best = [first, last];
    }
  }
  return best;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * A snippet of `paragraph` for the query behind `highlighter`: about `cropLength`
 * words (whole words only; a shorter paragraph is returned whole), highlights
 * shifted to index the returned text, `…` only where text was cut.
 * With `cropLength` = Infinity the whole paragraph is returned.
 */
export function buildSnippet(paragraph: string, highlighter: Highlighter | null, cropLength: number): Snippet {
  const found = highlighter ? highlighter.highlight(paragraph, tokenize(paragraph)) : [];
  const words = splitWords(paragraph);
  if (words.length === 0) return { text: '', html: '', highlights: [], croppedStart: false, croppedEnd: false };
  const [first, last] = Number.isFinite(cropLength) ? chooseWindow(paragraph, words, found, cropLength) : [0, words.length - 1];
  const croppedStart = first > 0;
  const croppedEnd = last < words.length - 1;
  const from = croppedStart ? words[first]!.start : 0;
  const to = croppedEnd ? words[last]!.end : paragraph.length;
  const shift = (croppedStart ? ELLIPSIS.length : 0) - from;
  const text = (croppedStart ? ELLIPSIS : '') + paragraph.slice(from, to) + (croppedEnd ? ELLIPSIS : '');
  const highlights: SnippetHighlight[] = found
    .filter((h) => h.start >= from && h.start + h.length <= to)
    .map((h) => ({ start: h.start + shift, length: h.length, term: h.term, kind: h.kind }));
  return { text, html: renderHtml(text, highlights), highlights, croppedStart, croppedEnd };
}
