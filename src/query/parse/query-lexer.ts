/**
 * The query lexer: splits a query into lexemes for the boolean parser
 * (`parse-boolean.ts`). Never fails; what it cannot use goes to `ignored`.
 *
 * - terms: a bare word (up to whitespace or `"`) or a `"quoted phrase"`, maybe
 *   negated with a leading `-`, maybe qualified by a known field (`title:`,
 *   `author:`/`byline:`, `source:`, `section:`, `tag:`, `lead:`, `person:`, `org:`, `place:`), or
 *   by `atleastN:` (the word at least N times), a phrase maybe followed by `~N` (slop);
 * - `(` at the start of a lexeme and `)` at its end (so `foo(bar)` stays a word);
 * - the operators `AND`, `OR`, `NOT` (upper case only: `and` is a word), `NEAR/N`, `ADJ/N`,
 *   `SAME` (upper case only) and `w/p` (same paragraph), `w/s` (same sentence), `w/N` (Nexis's NEAR/N).
 *
 * An unknown `name:value` (letters before the colon, a value that does not start
 * with `/`: so `10:30` and `http://x` are not fields) is taken as the words it
 * holds, as before, and `name:` is listed as ignored.
 */

/** Field names a query may qualify a term with, and the field each means. */
export const QUERY_FIELDS = {
  title: 'title',
  author: 'author',
  byline: 'author',
  source: 'source',
  section: 'section',
  tag: 'tag',
  lead: 'lead',
  person: 'person',
  org: 'org',
  place: 'place',
} as const;

export type QueryField = (typeof QUERY_FIELDS)[keyof typeof QUERY_FIELDS];

/** Largest NEAR/ADJ distance and phrase slop, in words; larger values are clipped to it. */
export const MAX_DISTANCE = 100;
/** Largest N of `atleastN:`; larger values are clipped to it. */
export const MAX_AT_LEAST = 1_000;
/** Distance of a bare `NEAR` (SQLite FTS5's default) and of a bare `ADJ` (adjacent). */
export const DEFAULT_NEAR = 10;
export const DEFAULT_ADJ = 0;

/** A part of the query that was not used, with its offset (to list in query order). */
export interface Ignored {
  at: number;
  raw: string;
}

interface Base {
  /** Offset of the lexeme in the query (UTF-16 units). */
  at: number;
  /** The lexeme as written. */
  raw: string;
}

export type Lexeme =
  | (Base & {
      kind: 'term';
      negated: boolean;
      quoted: boolean;
      text: string;
      field: QueryField | null;
      slop: number | null;
      atLeast: number | null;
    })
  | (Base & { kind: 'open'; negated: boolean; field: QueryField | null })
  | (Base & { kind: 'close' })
  | (Base & { kind: 'and' | 'or' | 'not' })
  | (Base & { kind: 'near'; distance: number; ordered: boolean; unit: 'words' | 'paragraph' | 'sentence' });

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
const FIELD = /^([A-Za-z]+):/;
const NEAR = /^(NEAR|ADJ)(?:\/(\d{1,6}))?$/;
const NEXIS_NEAR = /^w\/(\d{1,6})$/i;
const WITHIN = /^(?:w\/([ps])|(SAME))$/i;
const AT_LEAST = /^atleast(\d{1,6}):/i;

/** Splits `query` into lexemes (see the module comment); unusable parts are pushed onto `ignored`. */
export function lexQuery(query: string, ignored: Ignored[]): Lexeme[] {
  const out: Lexeme[] = [];
  const n = query.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(query[i])) i++;
    if (i >= n) break;
    const start = i;
    let negated = false;
    if (query[i] === '-' && i + 1 < n && !isSpace(query[i + 1])) {
      negated = true;
      i++;
    }
    let field: QueryField | null = null;
    let atLeast: number | null = null;
    const counted = AT_LEAST.exec(query.slice(i, i + 16));
    const named = counted ? null : FIELD.exec(query.slice(i, i + 16));
    if (counted && query[i + counted[0].length] !== undefined && !isSpace(query[i + counted[0].length])) {
      atLeast = Math.max(1, Math.min(MAX_AT_LEAST, Number(counted[1])));
      i += counted[0].length;
    }
    if (named) {
      const after = query[i + named[0].length];
      const known = (QUERY_FIELDS as Record<string, QueryField>)[named[1]!.toLowerCase()];
      if (after !== undefined && !isSpace(after) && after !== '/') {
        if (known) {
          field = known;
          i += named[0].length;
        } else ignored.push({ at: i, raw: named[0] });
      }
    }
    if (query[i] === '(') {
      // `atleastN:` counts one word: before a group it is ignored (the group is searched as written).
      if (atLeast !== null) ignored.push({ at: start, raw: counted![0] });
      out.push({ kind: 'open', at: start, raw: query.slice(start, i + 1), negated, field });
      i++;
      continue;
    }
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      if (close === -1) {
        // An unclosed quote: its words are taken as words; the quote is ignored.
        ignored.push({ at: start, raw: query.slice(start, i + 1) });
        i += 1;
        continue;
      }
      let end = close + 1;
      let slop: number | null = null;
      const tilde = /^~(\d{1,6})/.exec(query.slice(end, end + 8));
      if (tilde) {
        slop = Math.min(MAX_DISTANCE, Number(tilde[1]));
        end += tilde[0].length;
      }
      out.push({
        kind: 'term',
        at: start,
        raw: query.slice(start, end),
        negated,
        quoted: true,
        text: query.slice(i + 1, close),
        field,
        slop,
        atLeast,
      });
      i = end;
      closeParens();
      continue;
    }
    let end = i;
    while (end < n && !isSpace(query[end]) && query[end] !== '"') end++;
    // Closing parentheses at the end of the lexeme are separate lexemes.
    let textEnd = end;
    while (textEnd > i && query[textEnd - 1] === ')') textEnd--;
    const text = query.slice(i, textEnd);
    i = textEnd;
    if (text !== '') {
      const raw = query.slice(start, textEnd);
      const bare = !negated && field === null && atLeast === null;
      const near = bare ? NEAR.exec(text) : null;
      const nexis = bare && !near ? NEXIS_NEAR.exec(text) : null;
      // `SAME` in capitals only (`same` is a word); `w/p` and `w/s` in any case (never words).
      const within = bare && !near && !nexis ? WITHIN.exec(text) : null;
      if (near) {
        const ordered = near[1] === 'ADJ';
        const distance =
          near[2] === undefined ? (ordered ? DEFAULT_ADJ : DEFAULT_NEAR) : Math.min(MAX_DISTANCE, Number(near[2]));
        out.push({ kind: 'near', at: start, raw, distance, ordered, unit: 'words' });
      } else if (nexis) {
        out.push({
          kind: 'near',
          at: start,
          raw,
          distance: Math.min(MAX_DISTANCE, Number(nexis[1])),
          ordered: false,
          unit: 'words',
        });
      } else if (within && (within[2] === undefined || within[2] === 'SAME')) {
        const unit = within[1]?.toLowerCase() === 's' ? 'sentence' : 'paragraph';
        out.push({ kind: 'near', at: start, raw, distance: MAX_DISTANCE, ordered: false, unit });
      } else if (!negated && field === null && (text === 'AND' || text === 'OR' || text === 'NOT')) {
        out.push({ kind: text === 'AND' ? 'and' : text === 'OR' ? 'or' : 'not', at: start, raw });
      } else {
        out.push({ kind: 'term', at: start, raw, negated, quoted: false, text, field, slop: null, atLeast });
      }
    } else if (negated || field !== null || atLeast !== null) {
      // A lone `-` or `title:` before `)`: nothing to search.
      ignored.push({ at: start, raw: query.slice(start, textEnd) });
    }
    closeParens();
  }
  return out;

  function closeParens(): void {
    while (i < n && query[i] === ')') {
      out.push({ kind: 'close', at: i, raw: ')' });
      i++;
    }
  }
}
