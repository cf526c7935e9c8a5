import { isStemTerm } from '../../analysis/index-terms.js';
import { formOf, scanTokens } from '../../analysis/tokenize.js';
import { RawTokenTable } from './raw-token-table.js';

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
  /**
   * Token positions of posting j (in the order of `docs`) are `positions[posOffsets[j] … posOffsets[j+1])`,
   * ascending: the indexes of the document's tokens (those of `tokenize`, empty forms not counted) indexed under the term.
   * A stem term's postings have none: its positions are its forms' (see `positions-codec.ts`).
   */
  posOffsets: Uint32Array;
  positions: Int32Array;
}

/**
 * Inverts documents (texts, numbered from 0 in order) into postings: each token
 * of the shared tokenizer is indexed under the terms `processForm` gives for its
 * form (its form and its stem term), counted once per document with its
 * frequency and its token positions. What adding the documents one by one to MiniSearch would hold, made
 * without a JS object per posting: terms get integer ids (a form's terms are
 * looked up once per batch, not stemmed per token), a posting is three integers
 * in growable typed arrays, and a counting sort groups them by term at the end.
 * A token as written is normalized once per batch too: its later sightings are
 * found by their characters ({@link RawTokenTable}), with no string made for them
 * (a token's form depends on its characters alone: see `formOf`).
 */
export function invertTexts(texts: readonly string[], processForm: (form: string) => string[]): InvertedBatch {
  const termIds = new Map<string, number>();
  const termList: string[] = [];
  /** Form → its term ids (looked up once per batch). */
  const formTerms = new Map<string, Int32Array>();
  /**
   * Token as written → its form's term ids (none when the form is `''`), by entry of `written`:
   * `writtenIds[writtenAt[e] … writtenAt[e + 1])`, flat, so a token costs no object dereference.
   */
  const written = new RawTokenTable();
  let writtenAt: Int32Array = new Int32Array(1 << 15);
  let writtenIds: Int32Array = new Int32Array(1 << 16);
  /** Per term id: the last document that held it, and its count there. */
  let lastDoc = new Int32Array(1 << 16).fill(-1);
  let count = new Int32Array(1 << 16);
  let characters = 0;
  for (const text of texts) characters += text.length;
  const postings = new PostingColumns(texts.length, characters);
  let docTerms = new Int32Array(1024);
  /** The document's (term id, position) pairs in token order, and each term's next slot in its positions. */
  let eventTerms: Int32Array = new Int32Array(1024);
  let eventPositions: Int32Array = new Int32Array(1024);
  let slot: Int32Array = new Int32Array(1 << 16);
  /** Per term id: 1 for a stem term, whose positions are not recorded. */
  let stem = new Uint8Array(1 << 16);
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
        slot = grow(slot, id * 2);
        const grownStem = new Uint8Array(id * 2);
        grownStem.set(stem);
        stem = grownStem;
      }
      stem[id] = isStemTerm(term) ? 1 : 0;
    }
    return id;
  };
  /** Adds the token as written `text[start, end)` to `written`; returns its entry. */
  const addWritten = (text: string, start: number, end: number, plain: number): number => {
    const form = formOf(text, start, end, plain);
    let ids = form === '' ? NO_TERMS : formTerms.get(form);
    if (!ids) {
      ids = Int32Array.from(processForm(form), termId);
      formTerms.set(form, ids);
    }
    const entry = written.add(text, start, end);
    if (entry + 2 > writtenAt.length) writtenAt = grow(writtenAt, writtenAt.length * 2);
    const at = writtenAt[entry]!;
    if (at + ids.length > writtenIds.length) writtenIds = grow(writtenIds, writtenIds.length * 2);
    writtenIds.set(ids, at);
    writtenAt[entry + 1] = at + ids.length;
    return entry;
  };

  for (let doc = 0; doc < texts.length; doc++) {
    const text = texts[doc]!;
    const { count: tokens, starts, ends, plain } = scanTokens(text);
    let distinctForms = 0;
    let termsInDoc = 0;
    let events = 0;
    let position = 0;
    for (let t = 0; t < tokens; t++) {
      const start = starts[t]!;
      const end = ends[t]!;
      let entry = written.find(text, start, end);
      if (entry < 0) entry = addWritten(text, start, end, plain[t]!);
      const first = writtenAt[entry]!;
      const last = writtenAt[entry + 1]!;
      if (first === last) continue;
      // The form's own term is first: its first sighting in the document is a new distinct form.
      if (lastDoc[writtenIds[first]!] !== doc) distinctForms++;
      if (events + last - first > eventTerms.length) {
        eventTerms = grow(eventTerms, (events + last - first) * 2);
        eventPositions = grow(eventPositions, (events + last - first) * 2);
      }
      for (let k = first; k < last; k++) {
        const id = writtenIds[k]!;
        if (stem[id] === 0) {
          eventTerms[events] = id;
          eventPositions[events++] = position;
        }
        if (lastDoc[id] !== doc) {
          lastDoc[id] = doc;
          count[id] = 1;
          if (termsInDoc === docTerms.length) {
            const grown = new Int32Array(termsInDoc * 2);
            grown.set(docTerms);
            docTerms = grown;
          }
          docTerms[termsInDoc++] = id;
        } else count[id]!++;
      }
      position++;
    }
    lengths[doc] = distinctForms;
    postings.addDocument(doc, docTerms, termsInDoc, count, stem, slot);
    postings.addPositions(eventTerms, eventPositions, events, slot);
  }

  // Terms in order, then postings grouped by term (a counting sort keeps documents ascending).
  // The default sort compares strings by UTF-16 code units, as `<` does, without a comparator call per pair.
  const order = Int32Array.from([...termList].sort(), (term) => termIds.get(term)!);
  const rank = new Int32Array(termList.length);
  order.forEach((id, r) => (rank[id] = r));
  // Each term's postings and positions counted first, so that one pass in document order puts every posting
  // and its positions in place (reading the made ones in order: a gather by posting read them at random).
  const offsets = new Uint32Array(termList.length + 1);
  const posCursor = new Uint32Array(termList.length + 1);
  const n = postings.length;
  const pt = postings.terms;
  const ps = postings.posStarts;
  for (let i = 0; i < n; i++) {
    const r = rank[pt[i]!]! + 1;
    offsets[r]!++;
    posCursor[r]! += ps[i + 1]! - ps[i]!;
  }
  for (let r = 0; r < termList.length; r++) {
    offsets[r + 1]! += offsets[r]!;
    posCursor[r + 1]! += posCursor[r]!;
  }
  const cursor = offsets.slice(0, termList.length);
  const docs = new Int32Array(n);
  const tfs = new Uint16Array(n);
  const posOffsets = new Uint32Array(n + 1);
  const positions = new Int32Array(ps[n]!);
  const unsorted = postings.positions;
  const pf = postings.tfs;
  const docStarts = postings.docStarts;
  for (let doc = 0; doc < texts.length; doc++) {
    for (let i = docStarts[doc]!, end = docStarts[doc + 1]!; i < end; i++) {
      const r = rank[pt[i]!]!;
      const at = cursor[r]!++;
      docs[at] = doc;
      tfs[at] = pf[i]!;
      let to = posCursor[r]!;
      posOffsets[at] = to;
      // Element by element: a subarray per posting (millions of them) would cost more than the copy.
      for (let from = ps[i]!, last = ps[i + 1]!; from < last; from++) positions[to++] = unsorted[from]!;
      posCursor[r] = to;
    }
  }
  posOffsets[n] = ps[n]!;
  return { lengths, terms: Array.from(order, (id) => termList[id]!), offsets, docs, tfs, posOffsets, positions };
}

/** The term ids of a token whose form is `''` (it is not indexed). */
const NO_TERMS = new Int32Array(0);

/**
 * Postings in the order they are made, document by document: each one's term and
 * frequency (capped at 0xffff), where each document's postings start, and each
 * posting's token positions (`positions[posStarts[i] … posStarts[i + 1])`). Sized
 * for the batch's text at the start (about a posting for every three characters of
 * newswire text), so that it rarely grows.
 */
class PostingColumns {
  terms: Int32Array;
  tfs: Uint16Array;
  /** Postings of document d are `[docStarts[d], docStarts[d + 1])`. */
  readonly docStarts: Uint32Array;
  /** Positions of posting i are `positions[posStarts[i] … posStarts[i + 1])` (length + 1 entries used). */
  posStarts: Uint32Array;
  positions: Int32Array;
  length = 0;

  constructor(documents: number, characters: number) {
    const capacity = Math.max(1024, Math.ceil(characters / 3));
    this.terms = new Int32Array(capacity);
    this.tfs = new Uint16Array(capacity);
    this.posStarts = new Uint32Array(capacity + 1);
    // A position a token (its form's; a stem term's are not recorded), about a token for every six characters.
    this.positions = new Int32Array(capacity);
    this.docStarts = new Uint32Array(documents + 1);
  }

  /**
   * Appends the postings of document `doc` (the next one): one for each of `ids[0 … n-1]`, its frequency
   * `count[id]`; sets `slot[id]` to where the term's positions go (see {@link addPositions}): `count[id]`
   * of them, none for a stem term (`stem[id]` 1).
   */
  addDocument(doc: number, ids: Int32Array, n: number, count: Int32Array, stem: Uint8Array, slot: Int32Array): void {
    const at = this.length;
    if (at + n > this.terms.length) {
      const capacity = Math.max(at + n, this.terms.length * 2);
      const terms = new Int32Array(capacity);
      terms.set(this.terms);
      this.terms = terms;
      const tfs = new Uint16Array(capacity);
      tfs.set(this.tfs);
      this.tfs = tfs;
      const posStarts = new Uint32Array(capacity + 1);
      posStarts.set(this.posStarts);
      this.posStarts = posStarts;
    }
    let next = this.posStarts[at]!;
    for (let k = 0; k < n; k++) {
      const id = ids[k]!;
      this.terms[at + k] = id;
      this.tfs[at + k] = Math.min(count[id]!, 0xffff);
      slot[id] = next;
      if (stem[id] === 0) next += count[id]!;
      this.posStarts[at + k + 1] = next;
    }
    if (next > this.positions.length) {
      const positions = new Int32Array(Math.max(next, this.positions.length * 2));
      positions.set(this.positions);
      this.positions = positions;
    }
    this.length = at + n;
    this.docStarts[doc + 1] = this.length;
  }

  /** Places the document's token positions (`terms[e]` at `positions[e]`, in token order) in its postings' slots. */
  addPositions(terms: Int32Array, positions: Int32Array, n: number, slot: Int32Array): void {
    for (let e = 0; e < n; e++) this.positions[slot[terms[e]!]!++] = positions[e]!;
  }
}

function grow(array: Int32Array, capacity: number): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}
