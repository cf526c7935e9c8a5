import { tokenize } from '../analysis/tokenize.js';

/** Most positive clauses a query may have; the rest are ignored (and listed). */
export const MAX_CLAUSES = 32;
/** Most excluded items a query may have. */
export const MAX_EXCLUDED = 32;
/** Most words in one phrase. */
export const MAX_PHRASE_WORDS = 32;

/** One thing a document can contain: a word (its normalized form) or a phrase (forms in order). */
export type QueryItem =
  | { type: 'word'; form: string; prefix: boolean }
  | { type: 'phrase'; forms: string[] };

/** A positive clause: alternatives joined by `OR` (usually one). */
export type Clause = QueryItem[];

/** The query as the engine runs it, and as the response reports it. */
export interface ParsedQuery {
  /** Positive clauses; with matchingStrategy=all, each must match. */
  clauses: Clause[];
  /** Items whose presence excludes a document. */
  excludedItems: QueryItem[];
  /** Word forms searched for (normalized), in query order, once each. */
  terms: string[];
  /** Phrases searched for, as normalized words joined by a space. */
  phrases: string[];
  /** Excluded words and phrases, normalized. */
  excluded: string[];
  /** Parts of the query that were not used, as written. */
  ignored: string[];
}

interface Lexeme {
  /** Offset in the query, to list ignored parts in query order. */
  at: number;
  raw: string;
  negated: boolean;
  quoted: boolean;
  text: string;
}

/** Splits a query into lexemes: bare words, quoted phrases, each maybe negated with `-`. */
function lex(query: string, ignored: Ignored[]): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let i = 0;
  const n = query.length;
  while (i < n) {
    while (i < n && /\s/.test(query[i]!)) i++;
    if (i >= n) break;
    const start = i;
    let negated = false;
    if (query[i] === '-' && i + 1 < n && !/\s/.test(query[i + 1]!)) {
      negated = true;
      i++;
    }
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      if (close === -1) {
        // An unclosed quote: its words are taken as words; the quote is ignored.
        ignored.push({ at: start, raw: negated ? '-"' : '"' });
        i += 1;
        continue;
      }
      lexemes.push({ at: start, raw: query.slice(start, close + 1), negated, quoted: true, text: query.slice(i + 1, close) });
      i = close + 1;
      continue;
    }
    while (i < n && !/\s/.test(query[i]!) && query[i] !== '"') i++;
    lexemes.push({ at: start, raw: query.slice(start, i), negated, quoted: false, text: query.slice(negated ? start + 1 : start, i) });
  }
  return lexemes;
}

interface Ignored {
  at: number;
  raw: string;
}

function itemKey(item: QueryItem): string {
  return item.type === 'word' ? item.form : `"${item.forms.join(' ')}"`;
}

/**
 * Parses a search query. Never fails: what cannot be used is listed in `ignored`.
 *
 * Syntax: words; `"a quoted phrase"` (adjacent words in order, exact forms);
 * `-word` and `-"phrase"` (exclude); `a OR b` (either). A word that the tokenizer
 * splits (`Port-au-Prince`, `COVID-19`) is a phrase of its parts. The last word is
 * marked for prefix matching when `prefixLast` is set, it is a bare word, and the
 * query does not end with a space (the user has not finished typing it).
 * Repeated items are kept once; at most {@link MAX_CLAUSES} clauses and
 * {@link MAX_EXCLUDED} exclusions are kept.
 */
export function parseQuery(query: string, options: { prefixLast: boolean }): ParsedQuery {
  const ignored: Ignored[] = [];
  const lexemes = lex(query, ignored);

  type Entry = { item: QueryItem; negated: boolean; raw: string; at: number } | { or: true; raw: string; at: number };
  const entries: Entry[] = [];
  for (const lexeme of lexemes) {
    if (!lexeme.quoted && !lexeme.negated && lexeme.text === 'OR') {
      entries.push({ or: true, raw: lexeme.raw, at: lexeme.at });
      continue;
    }
    const forms = tokenize(lexeme.text)
      .map((t) => t.form)
      .slice(0, MAX_PHRASE_WORDS);
    if (forms.length === 0) {
      ignored.push({ at: lexeme.at, raw: lexeme.raw });
      continue;
    }
    const item: QueryItem =
      forms.length === 1 && !lexeme.quoted ? { type: 'word', form: forms[0]!, prefix: false } : { type: 'phrase', forms };
    entries.push({ item, negated: lexeme.negated, raw: lexeme.raw, at: lexeme.at });
  }

  // Group `a OR b` into one clause; an OR without a positive item on both sides is ignored.
  const groups: { items: QueryItem[]; raw: string; at: number }[] = [];
  const excludedItems: QueryItem[] = [];
  let pendingOr = false;
  let lastWasPositive = false;
  for (let k = 0; k < entries.length; k++) {
    const entry = entries[k]!;
    if ('or' in entry) {
      const next = entries[k + 1];
      if (lastWasPositive && next && !('or' in next) && !next.negated) pendingOr = true;
      else ignored.push({ at: entry.at, raw: entry.raw });
      continue;
    }
    if (entry.negated) {
      excludedItems.push(entry.item);
      lastWasPositive = false;
      pendingOr = false;
      continue;
    }
    if (pendingOr && groups.length > 0) groups[groups.length - 1]!.items.push(entry.item);
    else groups.push({ items: [entry.item], raw: entry.raw, at: entry.at });
    pendingOr = false;
    lastWasPositive = true;
  }

  // Prefix on the last word while the user is still typing it.
  const lastEntry = entries[entries.length - 1];
  if (
    options.prefixLast &&
    !/\s$/.test(query) &&
    lastEntry &&
    !('or' in lastEntry) &&
    !lastEntry.negated &&
    lastEntry.item.type === 'word' &&
    !lastEntry.raw.endsWith('"')
  ) {
    const lastGroup = groups[groups.length - 1];
    const lastItem = lastGroup?.items[lastGroup.items.length - 1];
    if (lastItem === lastEntry.item) (lastItem as { prefix: boolean }).prefix = true;
  }

  // Deduplicate: a clause equal to an earlier one adds nothing but cost. A word
  // that also appears as the prefix-matched last word is kept once, with prefix
  // (prefix matching includes the exact word).
  const clauses: Clause[] = [];
  const seen = new Map<string, Clause>();
  for (const group of groups) {
    const items: QueryItem[] = [];
    for (const item of group.items) {
      if (!items.some((x) => itemKey(x) === itemKey(item))) items.push(item);
    }
    const key = items.map(itemKey).sort().join('|');
    const earlier = seen.get(key);
    if (earlier) {
      for (const item of items) {
        const twin = earlier.find((x) => itemKey(x) === itemKey(item));
        if (item.type === 'word' && item.prefix && twin?.type === 'word') twin.prefix = true;
      }
      continue;
    }
    if (clauses.length >= MAX_CLAUSES) {
      ignored.push({ at: group.at, raw: group.raw });
      continue;
    }
    seen.set(key, items);
    clauses.push(items);
  }
  const excludedSeen = new Set<string>();
  const keptExcluded: QueryItem[] = [];
  for (const item of excludedItems) {
    const key = itemKey(item);
    if (excludedSeen.has(key)) continue;
    excludedSeen.add(key);
    if (keptExcluded.length >= MAX_EXCLUDED) {
      ignored.push({ at: query.length, raw: `-${key}` });
      continue;
    }
    keptExcluded.push(item);
  }

  const terms: string[] = [];
  const phrases: string[] = [];
  for (const clause of clauses) {
    for (const item of clause) {
      if (item.type === 'word') {
        if (!terms.includes(item.form)) terms.push(item.form);
      } else {
        const phrase = item.forms.join(' ');
        if (!phrases.includes(phrase)) phrases.push(phrase);
      }
    }
  }
  return {
    clauses,
    excludedItems: keptExcluded,
    terms,
    phrases,
    excluded: keptExcluded.map((item) => (item.type === 'word' ? item.form : item.forms.join(' '))),
    ignored: ignored.sort((a, b) => a.at - b.at).map((x) => x.raw),
  };
}
