import { tokenize } from '../../src/analysis/tokenize.js';
import type { QuerySet } from './make-query-set.js';

/**
 * Queries of the query language for the benchmark, drawn from the query set so
 * that they hit as real queries do, each with its SQLite FTS5 counterpart:
 * - NEAR: the first two words of each query of two words or more, `a NEAR/5 b`
 *   against FTS5's `NEAR("a" "b", 5)` (FTS5 counts the tokens between them, as we do);
 * - phrase: the same two words quoted, `"a b"` against FTS5's phrase `"a" + "b"`;
 * - prefix: the first four letters of each typed word, `abcd*` against `"abcd"*`;
 * - pattern: each typed word with its third letter a `?` (`go?ernment`), ours only (FTS5 has no such query).
 */
export interface QueryLanguageSet {
  near: { ours: string; fts: string }[];
  phrase: { ours: string; fts: string }[];
  prefix: { ours: string; fts: string }[];
  glob: string[];
}

/** Distance of the NEAR queries, in words between. */
export const NEAR_DISTANCE = 5;

const quote = (form: string) => `"${form.replaceAll('"', '""')}"`;

export function queryLanguageSet(set: QuerySet): QueryLanguageSet {
  const near: QueryLanguageSet['near'] = [];
  const phrase: QueryLanguageSet['phrase'] = [];
  for (const { q } of set.queries) {
    const forms = tokenize(q).map((t) => t.form);
    if (forms.length >= 2 && forms[0] !== forms[1]) {
      near.push({
        ours: `${forms[0]} NEAR/${NEAR_DISTANCE} ${forms[1]}`,
        fts: `NEAR(${quote(forms[0]!)} ${quote(forms[1]!)}, ${NEAR_DISTANCE})`,
      });
      phrase.push({ ours: `"${forms[0]} ${forms[1]}"`, fts: `${quote(forms[0]!)} + ${quote(forms[1]!)}` });
    }
  }
  const words = set.typing.map((w) => w.word).filter((w) => /^[a-z]{4,}$/.test(w));
  return {
    near,
    phrase,
    prefix: words.map((w) => ({ ours: `${w.slice(0, 4)}*`, fts: `${quote(w.slice(0, 4))}*` })),
    glob: words.map((w) => `${w.slice(0, 2)}?${w.slice(3)}`),
  };
}
