import type { Highlight, Highlighter } from './find-highlights.js';
import { renderHtml } from './render-html.js';
import { popCount } from '../pop-count.js';
import { isWhitespace } from '../analysis/is-whitespace.js';

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

/** Whitespace-separated words of a text: word i is `text.slice(starts[i], ends[i])` (UTF-16 offsets). */
interface Words {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
}

const words: Words = { count: 0, starts: new Int32Array(256), ends: new Int32Array(256) };

/** The words of `text`, in arrays reused by the next call. */
function splitWords(text: string): Words {
  words.count = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
    if (i === n) break;
    const start = i;
    while (i < n && !isWhitespace(text.charCodeAt(i))) i++;
    if (words.count === words.starts.length) {
      const starts = new Int32Array(words.count * 2);
      const ends = new Int32Array(words.count * 2);
      starts.set(words.starts);
      ends.set(words.ends);
      words.starts = starts;
      words.ends = ends;
    }
    words.starts[words.count] = start;
    words.ends[words.count++] = i;
  }
  return words;
}

/** Closing quotes and brackets that may follow a sentence's final punctuation: `" ' ” ’ )`. */
const isCloser = (c: number) => c === 34 || c === 39 || c === 0x201d || c === 0x2019 || c === 41;

/** True when word `i` starts a sentence: the first word, or the previous one ends in `.`, `!` or `?` (then maybe closers). */
function startsSentence(text: string, words: Words, i: number): boolean {
  if (i === 0) return true;
  const first = words.starts[i - 1]!;
  let at = words.ends[i - 1]! - 1;
  while (at >= first && isCloser(text.charCodeAt(at))) at--;
  if (at < first) return false;
  const c = text.charCodeAt(at);
  return c === 46 || c === 33 || c === 63;
}

/**
 * Chooses which `cropLength` consecutive words of a paragraph to show: the window
 * that holds the most distinct query clauses; among those, one that holds a whole
 * occurrence of a phrase or proximity (`gang w/s displaced`: the sentence with both
 * words, not a lone `gang` elsewhere); then the one whose matches lie closest together; then one that starts a sentence; then the one that best
 * centres its matches; then the earliest. Returns word indexes [first, last].
 */
export function chooseWindow(
  text: string,
  words: Words,
  highlights: readonly Highlight[],
  cropLength: number,
): [number, number] {
  const n = words.count;
  if (n <= cropLength) return [0, n - 1];
  // Words spanned by each highlight; the words of one phrase occurrence make one mark.
  const marks: { word: number; last: number; clause: number; occurrence: boolean }[] = [];
  let w = 0;
  let previous: Highlight | undefined;
  for (const h of highlights) {
    while (w < n && words.ends[w]! <= h.start) w++;
    if (w >= n) break;
    const mark = marks[marks.length - 1];
    if (mark && h.occurrence !== undefined && h.occurrence === previous?.occurrence) mark.last = w;
    else marks.push({ word: w, last: w, clause: h.clause, occurrence: h.occurrence !== undefined });
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
  const key = [0, 0, 0, 0, 0];
  for (const first of [...candidates].sort((a, b) => a - b)) {
    const last = first + cropLength - 1;
    // The marks inside the window: their clauses (at most 32, one bit each), the first and the last.
    let clauses = 0;
    let firstInside = -1;
    let lastInside = -1;
    let occurrence = 0;
    for (let m = 0; m < considered.length; m++) {
      const mark = considered[m]!;
      if (mark.word < first || mark.last > last) continue;
      clauses |= 1 << mark.clause;
      if (mark.occurrence) occurrence = 1;
      if (firstInside < 0) firstInside = m;
      lastInside = m;
    }
    const inside = firstInside >= 0;
    key[0] = -popCount(clauses);
    key[1] = -occurrence;
    key[2] = inside ? considered[lastInside]!.last - considered[firstInside]!.word : cropLength;
    key[3] = startsSentence(text, words, first) ? 0 : 1;
    key[4] = inside
      ? Math.abs((considered[firstInside]!.word + considered[lastInside]!.last) / 2 - (first + last) / 2)
      : 0;
    if (!bestKey || compareKeys(key, bestKey) < 0) {
      bestKey = [...key];
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
  const found = highlighter ? highlighter.highlight(paragraph) : [];
  if (!Number.isFinite(cropLength)) {
    // The whole paragraph: no window to choose, no word to count.
    if (paragraph.trim() === '') return { text: '', html: '', highlights: [], croppedStart: false, croppedEnd: false };
    const highlights = found.map((h) => ({ start: h.start, length: h.length, term: h.term, kind: h.kind }));
    return {
      text: paragraph,
      html: renderHtml(paragraph, highlights),
      highlights,
      croppedStart: false,
      croppedEnd: false,
    };
  }
  const words = splitWords(paragraph);
  if (words.count === 0) return { text: '', html: '', highlights: [], croppedStart: false, croppedEnd: false };
  const [first, last] = chooseWindow(paragraph, words, found, cropLength);
  const croppedStart = first > 0;
  const croppedEnd = last < words.count - 1;
  const from = croppedStart ? words.starts[first]! : 0;
  const to = croppedEnd ? words.ends[last]! : paragraph.length;
  const shift = (croppedStart ? ELLIPSIS.length : 0) - from;
  const text = (croppedStart ? ELLIPSIS : '') + paragraph.slice(from, to) + (croppedEnd ? ELLIPSIS : '');
  const highlights: SnippetHighlight[] = [];
  for (const h of found) {
    if (h.start >= from && h.start + h.length <= to)
      highlights.push({ start: h.start + shift, length: h.length, term: h.term, kind: h.kind });
  }
  return { text, html: renderHtml(text, highlights), highlights, croppedStart, croppedEnd };
}
