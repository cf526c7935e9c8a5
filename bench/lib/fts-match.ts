/**
 * The SQLite FTS5 side of the comparison: the table, and a MATCH expression with
 * our query semantics.
 */
import type Database from 'better-sqlite3';
import { tokenize } from '../../src/analysis/tokenize.js';

/**
 * An FTS5 MATCH expression for `q`: each word of the shared tokenizer quoted (so no
 * word is read as FTS syntax), joined by a space (AND, FTS5's implicit operator) or
 * by `OR`. With `prefixLast`, the last word is a prefix (`"gov"*`). Null when `q` has no word.
 */
export function ftsMatch(q: string, mode: 'and' | 'or', prefixLast = false): string | null {
  const forms = tokenize(q).map((t) => t.form);
  if (forms.length === 0) return null;
  const terms = forms.map(
    (form, i) => `"${form.replaceAll('"', '""')}"${prefixLast && i === forms.length - 1 ? '*' : ''}`,
  );
  return terms.join(mode === 'and' ? ' ' : ' OR ');
}

/** DDL of the paragraph table: paragraph id and headline stored, text indexed with Porter stemming. */
export const FTS_SCHEMA = `CREATE VIRTUAL TABLE para USING fts5(pid UNINDEXED, title UNINDEXED, text, tokenize='porter unicode61')`;

/** Top 10 by BM25 with a snippet of at most 30 tokens (the same crop as ours). */
export const FTS_SEARCH_WITH_SNIPPET = `SELECT pid, title, snippet(para, 2, '<mark>', '</mark>', '…', 30) AS snippet, rank AS score
  FROM para WHERE para MATCH ? ORDER BY rank LIMIT 10`;

/** Top 10 by BM25, ids and scores only. */
export const FTS_SEARCH = `SELECT pid, rank AS score FROM para WHERE para MATCH ? ORDER BY rank LIMIT 10`;

/** A row of {@link FTS_SEARCH_WITH_SNIPPET}. */
export interface FtsHit {
  pid: string;
  title: string;
  snippet: string;
  score: number;
}

/** Opens the paragraph database read-only for querying. */
export function openFtsDatabase(DatabaseClass: typeof Database, file: string): Database.Database {
  return new DatabaseClass(file, { readonly: true, fileMustExist: true });
}
