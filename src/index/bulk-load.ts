import type MiniSearch from 'minisearch';
import { internalsOf } from './minisearch-internals.js';
import { PackedTermData } from './packed-term-data.js';
import { DocumentIdTable, FieldLengthTable, LazyIdMap } from './doc-tables.js';
import { buildTermTree } from './term-tree.js';

/** One document to bulk-load: its id and the tokens of its single field. */
export interface BulkDocument {
  id: string;
  /** Token forms of the field, in order. */
  forms: string[];
}

/** A loaded MiniSearch state: documents by short id and postings by term. */
export interface MiniSearchState {
  /** Document short ids, ascending. */
  shortIds: Int32Array;
  /** Document ids, parallel to `shortIds`. */
  ids: string[];
  /** Field lengths (distinct tokens), parallel to `shortIds`. */
  lengths: Int32Array;
  nextId: number;
  avgFieldLength: number;
  /** Index terms, sorted, distinct. */
  terms: string[];
  /** Postings of term i are `docs[offsets[i] .. offsets[i+1])`, with `tfs` parallel. */
  offsets: Uint32Array;
  docs: Int32Array;
  tfs: Uint16Array;
}

/**
 * Computes the state that adding `documents` one by one with `add()` would give
 * (same short ids, field lengths, running average and postings), counting terms
 * in hash maps instead of walking the radix tree once per token.
 * `processForm` maps a token form to its index terms.
 */
export function computeState(documents: readonly BulkDocument[], processForm: (form: string) => string[]): MiniSearchState {
  const n = documents.length;
  const lengths = new Int32Array(n);
  const postings = new Map<string, number[]>(); // term → [doc, tf, doc, tf, …]
  let avg = 0;
  const counts = new Map<string, number>();
  documents.forEach((doc, shortId) => {
    const unique = new Set(doc.forms).size;
    lengths[shortId] = unique;
    // MiniSearch's running mean, reproduced operation for operation.
    avg = (avg * shortId + unique) / (shortId + 1);
    counts.clear();
    for (const form of doc.forms) {
      for (const term of processForm(form)) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    for (const [term, tf] of counts) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push(shortId, tf);
    }
  });
  const terms = [...postings.keys()].sort();
  const offsets = new Uint32Array(terms.length + 1);
  let total = 0;
  terms.forEach((term, i) => {
    offsets[i] = total;
    total += postings.get(term)!.length / 2;
  });
  offsets[terms.length] = total;
  const docs = new Int32Array(total);
  const tfs = new Uint16Array(total);
  terms.forEach((term, i) => {
    const list = postings.get(term)!;
    let at = offsets[i]!;
    for (let k = 0; k < list.length; k += 2) {
      docs[at] = list[k]!;
      tfs[at] = Math.min(list[k + 1]!, 0xffff);
      at++;
    }
  });
  return {
    shortIds: Int32Array.from(documents, (_, i) => i),
    ids: documents.map((d) => d.id),
    lengths,
    nextId: n,
    avgFieldLength: avg,
    terms,
    offsets,
    docs,
    tfs,
  };
}

/**
 * Loads a state into an empty MiniSearch instance with one field: sets its
 * document tables and builds its term tree with packed postings. The instance
 * then behaves as if the documents had been added with `add()`.
 */
export function loadState(miniSearch: MiniSearch<any>, state: MiniSearchState): void {
  const m = internalsOf(miniSearch);
  if (m._documentCount !== 0) throw new Error('loadState needs an empty MiniSearch instance');
  const documentIds = new DocumentIdTable(state.shortIds, state.ids, state.nextId);
  const idToShortId = new LazyIdMap(documentIds);
  const fieldLength = new FieldLengthTable(state.shortIds, state.lengths, state.nextId);
  const values = state.terms.map((_, i) => new PackedTermData(0, state.docs, state.tfs, state.offsets[i]!, state.offsets[i + 1]!));
  m._documentIds = documentIds;
  m._idToShortId = idToShortId;
  m._fieldLength = fieldLength;
  m._documentCount = state.shortIds.length;
  m._nextId = state.nextId;
  m._avgFieldLength = [state.avgFieldLength];
  m._dirtCount = 0;
  const tree = (m._index as unknown as { _tree: Map<string, unknown>; _size: number | undefined });
  tree._tree = buildTermTree(state.terms, values);
  tree._size = undefined;
}
