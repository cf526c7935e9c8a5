
/** One document to invert: its id and the tokens of its single field. */
export interface BulkDocument {
  id: string;
  /** Token forms of the field, in order. */
  forms: string[];
}

/**
 * An inverted batch of documents, in the shape MiniSearch's own tables would have
 * after adding them one by one: documents by short id and postings by term.
 */
export interface InvertedBatch {
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
export function invertDocuments(documents: readonly BulkDocument[], processForm: (form: string) => string[]): InvertedBatch {
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
