/**
 * Simple Markdown markup out of a paragraph, in time linear in its length.
 *
 * The rules were regular expressions (kept as the reference in
 * `test/corpus-linear.test.ts`, which checks that this scanner gives the same
 * output); their lazy and bracket scans restarted at every `*`, `_` or `[`, so a
 * paragraph of `*a *a *a …` took time quadratic in its length (29 s for 200 kB).
 * Here every "where is the next closer" question is answered from a cursor that
 * only moves forward, so each character is looked at a bounded number of times.
 */

const HEADING = /^#{1,6}\s+/;

/** JavaScript's `\s`: what a regular expression's `\s` and `\S` test. */
function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

/** JavaScript's `\w` (ASCII letters, digits, `_`). */
function isWord(ch: string | undefined): boolean {
  return ch !== undefined && /\w/.test(ch);
}

/** Characters a regular expression's `.` does not match. */
function isLineTerminator(ch: string | undefined): boolean {
  return ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029';
}

/**
 * The first position ≥ `from` for which `test` holds (or `length`). The answer
 * is remembered: a later query from before it returns it at once, so queries
 * whose `from` mostly moves forward cost one pass over the text in all (a query
 * behind the last one scans only the gap up to where that one started).
 */
function forwardFinder(length: number, test: (position: number) => boolean): (from: number) => number {
  let lastFrom = 0;
  let lastFound = -1;
  return (from) => {
    if (from < lastFrom) {
      for (let position = from; position < lastFrom; position++) if (test(position)) return position;
      return lastFound;
    }
    if (from <= lastFound) return lastFound;
    let position = from;
    while (position < length && !test(position)) position++;
    lastFrom = from;
    lastFound = position;
    return position;
  };
}

/** A paragraph without its trailing `##` heading marks (` ##` after the text), as `/\s+#+\s*$/` removed them. */
function withoutClosingHashes(text: string): string {
  let end = text.length;
  while (end > 0 && isSpace(text[end - 1])) end--;
  let hashes = end;
  while (hashes > 0 && text[hashes - 1] === '#') hashes--;
  if (hashes === end || hashes === 0 || !isSpace(text[hashes - 1])) return text;
  let start = hashes;
  while (start > 0 && isSpace(text[start - 1])) start--;
  return text.slice(0, start);
}

/**
 * Links and images, `[text](url)` and `![alt](url "title")`, replaced by their
 * text, as `/!?\[([^\]]*)\]\([^)\s]*(?:\s+"[^"]*")?\)/g` did.
 */
function withoutLinks(text: string): string {
  const n = text.length;
  const nextClose = forwardFinder(n, (i) => text[i] === ']');
  const nextUrlEnd = forwardFinder(n, (i) => text[i] === ')' || isSpace(text[i]));
  // The end of a link's `(url "title")` part for a `]` at `close`, or -1; memoized per `]`.
  const tails = new Map<number, number>();
  const tailEnd = (close: number): number => {
    const cached = tails.get(close);
    if (cached !== undefined) return cached;
    let end = -1;
    if (text[close + 1] === '(') {
      const i = nextUrlEnd(close + 2);
      if (text[i] === ')') end = i + 1;
      else if (isSpace(text[i])) {
        // Regex backtracking may give back part of the spaces; a title must follow some of them.
        let j = i;
        while (j < n && isSpace(text[j])) j++;
        if (text[j] === '"') {
          const quote = text.indexOf('"', j + 1);
          if (quote >= 0 && text[quote + 1] === ')') end = quote + 2;
        }
      }
    }
    tails.set(close, end);
    return end;
  };
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < n) {
    const bracket = text[i] === '!' && text[i + 1] === '[' ? i + 1 : text[i] === '[' ? i : -1;
    if (bracket >= 0) {
      const close = nextClose(bracket + 1);
      const end = close < n ? tailEnd(close) : -1;
      if (end >= 0) {
        out += text.slice(copied, i) + text.slice(bracket + 1, close);
        copied = i = end;
        continue;
      }
    }
    i++;
  }
  return out + text.slice(copied);
}

/**
 * `*` / `_` emphasis (one to three marks) around text on one line, replaced by
 * the text, as `/(^|[^\w*])(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\2(?![\w*])/g` did:
 * the opener follows the start or a character that is neither a word character
 * nor `*`; the closer is the first same run after a non-space that is not
 * followed by a word character or `*`.
 */
function withoutEmphasis(text: string): string {
  const n = text.length;
  const nextLineEnd = forwardFinder(n, (i) => isLineTerminator(text[i]));
  const closerFinders = new Map<string, (from: number) => number>();
  const closerOf = (mark: string): ((from: number) => number) => {
    let finder = closerFinders.get(mark);
    if (finder === undefined) {
      finder = forwardFinder(
        n,
        (q) =>
          text.startsWith(mark, q) &&
          !isSpace(text[q - 1]) &&
          !isWord(text[q + mark.length]) &&
          text[q + mark.length] !== '*',
      );
      closerFinders.set(mark, finder);
    }
    return finder;
  };
  /** The end of an emphasis whose marks start at `k`, and its text, or null. */
  const matchAt = (k: number): { end: number; inner: string } | null => {
    const ch = text[k];
    if (ch !== '*' && ch !== '_') return null;
    let run = 0;
    while (run < 3 && text[k + run] === ch) run++;
    for (let length = run; length >= 1; length--) {
      const start = k + length;
      if (start >= n || isSpace(text[start])) continue;
      const mark = ch.repeat(length);
      const close = closerOf(mark)(start + 1);
      if (close < n && close <= nextLineEnd(start)) return { end: close + length, inner: text.slice(start, close) };
    }
    return null;
  };
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < n) {
    let match = i === 0 ? matchAt(0) : null;
    let keep = '';
    if (match === null && !isWord(text[i]) && text[i] !== '*') {
      match = matchAt(i + 1);
      keep = text[i]!;
    }
    if (match !== null) {
      out += text.slice(copied, i) + keep + match.inner;
      copied = i = match.end;
    } else {
      i++;
    }
  }
  return out + text.slice(copied);
}

/**
 * A paragraph's text without simple Markdown markup: heading markers (`## `),
 * images and links (`[text](url)` → `text`), and `*` / `_` emphasis around words
 * (`**bold**`, `_it_`). Deliberately small: an underscore inside a word
 * (`snake_case`) or a lone `*` (`2 * 3`) is text and stays. Linear time.
 */
export function stripMarkdown(paragraph: string): string {
  return withoutEmphasis(withoutLinks(withoutClosingHashes(paragraph.replace(HEADING, ''))));
}
