import { formOf, scanTokens } from '../../analysis/tokenize.js';
import { IdList } from '../id-list.js';

/**
 * An inverted batch of documents, in the shape MiniSearch's own tables would have
 * after adding them one by one: field lengths by document number and postings by term.
 */
export interface InvertedBatch {
  /** Field lengths (distinct token forms) by document number. */
  lengths: Int32Array;
  /** Index terms, sorted, distinct. */
  terms: string[];
  /** Postings of term i are `docs[offsets[i] .. offsets[i+1])`, ascending, with `tfs` parallel. */
  offsets: Uint32Array;
  docs: Int32Array;
  tfs: Uint16Array;
}

/**
 * Inverts documents (texts, numbered from 0 in order) into postings: each token
 * of the shared tokenizer is indexed under the terms `processForm` gives for its
 * form (its form and its stem term), counted once per document with its
 * frequency. What adding the documents one by one to MiniSearch would hold, made
 * without a JS object per posting: terms get integer ids (a form's terms are
 * looked up once per batch, not stemmed per token), a posting is three integers
 * in growable typed arrays, and a counting sort groups them by term at the end.
 */
export function invertTexts(texts: readonly string[], processForm: (form: string) => string[]): InvertedBatch {
  const termIds = new Map<string, number>();
  const termList: string[] = [];
  /** Form → its term ids (looked up once per batch). */
  const formTerms = new Map<string, Int32Array>();
  /** Per term id: the last document that held it, and its count there. */
  let lastDoc = new Int32Array(1 << 16).fill(-1);
  let count = new Int32Array(1 << 16);
  /** Per form (by its first term id): the last document it was counted in, for field lengths. */
  const postingTerm = new IdList();
  const postingDoc = new IdList();
  const postingTf = new IdList();
  const docTerms: number[] = [];
  const lengths = new Int32Array(texts.length);

  const termId = (term: string): number => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = termList.length;
      termIds.set(term, id);
      termList.push(term);
      if (id === lastDoc.length) {
        const grownLast = new Int32Array(id * 2).fill(-1);
        grownLast.set(lastDoc);
        lastDoc = grownLast;
        const grownCount = new Int32Array(id * 2);
        grownCount.set(count);
        count = grownCount;
      }
    }
    return id;
  };

  for (let doc = 0; doc < texts.length; doc++) {
    const text = texts[doc]!;
    const { count: tokens, starts, ends, plain } = scanTokens(text);
    let distinctForms = 0;
    for (let t = 0; t < tokens; t++) {
      const form = formOf(text, starts[t]!, ends[t]!, plain[t]!);
      if (form === '') continue;
      let ids = formTerms.get(form);
      if (!ids) {
        ids = Int32Array.from(processForm(form), termId);
        formTerms.set(form, ids);
      }
      // The form's own term is first: its first sighting in the document is a new distinct form.
      if (lastDoc[ids[0]!] !== doc) distinctForms++;
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        if (lastDoc[id] !== doc) {
          lastDoc[id] = doc;
          count[id] = 1;
          docTerms.push(id);
        } else count[id]!++;
      }
    }
    lengths[doc] = distinctForms;
    for (const id of docTerms) {
      postingTerm.push(id);
      postingDoc.push(doc);
      postingTf.push(count[id]!);
    }
    docTerms.length = 0;
  }

  // Terms in order, then postings grouped by term (a counting sort keeps documents ascending).
  const order = Int32Array.from(termList.keys()).sort((a, b) =>
    termList[a]! < termList[b]! ? -1 : termList[a]! > termList[b]! ? 1 : 0,
  );
  const rank = new Int32Array(termList.length);
  order.forEach((id, r) => (rank[id] = r));
  const offsets = new Uint32Array(termList.length + 1);
  const n = postingTerm.length;
  const pt = postingTerm.ids;
  for (let i = 0; i < n; i++) offsets[rank[pt[i]!]! + 1]!++;
  for (let r = 0; r < termList.length; r++) offsets[r + 1]! += offsets[r]!;
  const cursor = offsets.slice(0, termList.length);
  const docs = new Int32Array(n);
  const tfs = new Uint16Array(n);
  const pd = postingDoc.ids;
  const pf = postingTf.ids;
  for (let i = 0; i < n; i++) {
    const at = cursor[rank[pt[i]!]!]!++;
    docs[at] = pd[i]!;
    tfs[at] = Math.min(pf[i]!, 0xffff);
  }
  return { lengths, terms: Array.from(order, (id) => termList[id]!), offsets, docs, tfs };
}
