/**
 * A judged test collection in the shared relevance format
 * (`{name, docs: [{id, title, text}], queries: [{id, text}], qrels: {queryId: {docId: gain}}}`)
 * and the protocol's query words.
 */
import { readFile } from 'node:fs/promises';

/** One document of a collection: `title` may be empty. */
export interface EvalDocument {
  id: string;
  title: string;
  text: string;
}

/** A judged query: its protocol words and its judgments (document id → gain, 1–4). */
export interface JudgedQuery {
  id: string;
  /** The query as the protocol sends it: lowercase `[a-z0-9]` runs, deduplicated, the first 32, space-joined. */
  words: string;
  judgments: ReadonlyMap<string, number>;
}

/** A collection ready to run: documents and the queries that have judgments. */
export interface EvalCollection {
  name: string;
  docs: EvalDocument[];
  queries: JudgedQuery[];
}

/** Most words of a protocol query (the service's query-term bound). */
export const MAX_QUERY_WORDS = 32;

/** A query text turned into the protocol's words (step 2 of the protocol). */
export function queryWords(text: string): string {
  const words = [...new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? [])];
  return words.slice(0, MAX_QUERY_WORDS).join(' ');
}

interface RawCollection {
  name?: unknown;
  docs?: unknown;
  queries?: unknown;
  qrels?: unknown;
}

/**
 * Reads a collection file. Queries without judgments (absent from `qrels`, or with
 * no positive gain) are left out, as the protocol says. Throws on a malformed file.
 */
export async function readCollection(file: string): Promise<EvalCollection> {
  const raw = JSON.parse(await readFile(file, 'utf8')) as RawCollection;
  if (
    typeof raw.name !== 'string' ||
    !Array.isArray(raw.docs) ||
    !Array.isArray(raw.queries) ||
    typeof raw.qrels !== 'object' ||
    raw.qrels === null
  ) {
    throw new Error(`${file}: not a relevance collection (needs name, docs, queries, qrels)`);
  }
  const qrels = raw.qrels as Record<string, Record<string, number>>;
  const docs = (raw.docs as EvalDocument[]).map((d) => ({
    id: String(d.id),
    title: d.title ?? '',
    text: d.text ?? '',
  }));
  const queries: JudgedQuery[] = [];
  for (const q of raw.queries as { id: string; text: string }[]) {
    const judged = qrels[String(q.id)];
    if (!judged) continue;
    const judgments = new Map(Object.entries(judged).filter(([, gain]) => gain > 0));
    if (judgments.size === 0) continue;
    queries.push({ id: String(q.id), words: queryWords(q.text), judgments });
  }
  return { name: raw.name, docs, queries };
}

/** The collection as an NDJSON corpus file (protocol step 1): `{"id": "<name>-<docId>", "title", "body"}` a line. */
export function toNdjson(collection: EvalCollection): string {
  return (
    collection.docs
      .map((d) => JSON.stringify({ id: `${collection.name}-${d.id}`, title: d.title, body: d.text }))
      .join('\n') + '\n'
  );
}
