import { tokenize, type Token } from '../../analysis/tokenize.js';
import type { ArchiveIndex } from '../../index/archive-index.js';
import { IdList } from '../../index/id-list.js';
import { PositionsReader, type TermPositions } from '../../index/positions-reader.js';
import type { Collection, TermScorer } from './term-scorer.js';
import { scratch, type QueryMatches } from './query-matches.js';
import { phraseStarts } from './position-lists.js';
import type { Deadline } from './deadline.js';

/**
 * Most documents whose text a query re-tokenizes to check its `w/s` and `w/p`
 * proximities (the checks that need a text's sentences, or a phrase in one
 * paragraph), shared among them (best-scoring candidates first). Past it,
 * unchecked candidates are left out and the result says so (`exhaustive: false`).
 * Phrases, NEAR, ADJ and sloppy phrases read the index's token positions and
 * have no such budget.
 */
export const MAX_PHRASE_CHECKS = 2_000;

/** Candidates checked between two looks at the clock. */
export const DEADLINE_STRIDE = 64;

/** Sorted document ids with a score each. */
export interface Postings {
  docs: Int32Array;
  scores: Float64Array;
}

/**
 * The documents in every list (each sorted ascending), with the sum of their
 * scores. Walks the shortest list and gallops through the others, so a rare
 * word intersected with a very common one costs about the rare word's length.
 */
export function intersect(lists: readonly Postings[]): Postings {
  if (lists.length === 0) return { docs: new Int32Array(0), scores: new Float64Array(0) };
  const sorted = [...lists].sort((a, b) => a.docs.length - b.docs.length);
  const first = sorted[0]!;
  let docs = first.docs;
  let scores = first.scores;
  for (let l = 1; l < sorted.length && docs.length > 0; l++) {
    const other = sorted[l]!;
    const outDocs = new Int32Array(docs.length);
    const outScores = new Float64Array(docs.length);
    let n = 0;
    let j = 0;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]!;
      // Gallop: double the step until past `doc`, then binary search back.
      let step = 1;
      let hi = j;
      while (hi < other.docs.length && other.docs[hi]! < doc) {
        j = hi + 1;
        hi += step;
        step *= 2;
      }
      hi = Math.min(hi, other.docs.length);
      let lo = j;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (other.docs[mid]! < doc) lo = mid + 1;
        else hi = mid;
      }
      j = lo;
      if (j < other.docs.length && other.docs[j] === doc) {
        outDocs[n] = doc;
        outScores[n] = scores[i]! + other.scores[j]!;
        n++;
      }
    }
    docs = outDocs.subarray(0, n);
    scores = outScores.subarray(0, n);
  }
  return { docs, scores };
}

/**
 * Scores phrases: candidates are the documents holding every form of the
 * phrase (exact forms); each candidate's token positions (read from the index,
 * see `PositionsReader`) are merged to check the forms are adjacent and in
 * order. The score is the forms' BM25. Every candidate is checked, headlines
 * first, unless the search's deadline passes first (then the result says so);
 * each form's postings are read once per query.
 */
export class PhraseChecker {
  private readonly tokens = new Map<string, Token[]>();
  private readonly postings = new Map<string, Postings>();
  /** Token positions of the query's terms, read once per (term, segment): shared with the proximity checks. */
  readonly positions: PositionsReader;

  constructor(
    private readonly index: ArchiveIndex,
    private readonly scorer: TermScorer,
    /** Articles whose documents may match (null: all); updated between clauses. */
    public filter: Uint8Array | null,
    private readonly matches: QueryMatches,
    /** The search's time budget: checked every {@link DEADLINE_STRIDE} candidates, past it the rest are left unchecked. */
    private readonly deadline?: Deadline,
  ) {
    this.positions = new PositionsReader(index);
  }

  /** True when the phrase of `forms` occurs in the document: its forms' positions merged. */
  holdsPhrase(collection: Collection, doc: number, forms: readonly string[]): boolean {
    return holdsAt(
      forms.map((form) => this.positions.term(collection, form)),
      doc,
    );
  }

  /** The tokens of a document's text, tokenized once per query (for the `w/s` and `w/p` checks). */
  tokensOf(collection: Collection, doc: number): Token[] {
    const key = `${collection[0]}${doc}`;
    let tokens = this.tokens.get(key);
    if (!tokens) {
      const text = collection === 'paragraphs' ? this.index.paragraphText(doc) : this.index.titleText(doc);
      tokens = tokenize(text);
      this.tokens.set(key, tokens);
    }
    return tokens;
  }

  /**
   * The live documents containing `form` (exact), ascending, with its unweighted
   * BM25 in each; read once per query.
   */
  postingsOf(collection: Collection, form: string): Postings {
    const key = `${collection[0]}${form}`;
    let entry = this.postings.get(key);
    if (!entry) {
      const size = collection === 'paragraphs' ? this.index.paraArticle.length : this.index.titleArticle.length;
      const single = scratch.floats(`phrase-${collection}`, size);
      const touched = new IdList();
      this.scorer.accumulate(collection, form, 1, single, touched, this.filter);
      const docs = touched.ids.slice(0, touched.length).sort();
      const scores = new Float64Array(docs.length);
      docs.forEach((doc, i) => {
        scores[i] = single[doc]!;
        single[doc] = 0;
      });
      entry = { docs, scores };
      this.postings.set(key, entry);
    }
    return entry;
  }

  /** The documents of `found` that also hold one of `terms`, with their weighted BM25 added: `terms`' postings galloped to `found`'s documents only. */
  probe(collection: Collection, terms: readonly { term: string; weight: number }[], found: Postings): Postings {
    const size = collection === 'paragraphs' ? this.index.paraArticle.length : this.index.titleArticle.length;
    const sums = scratch.floats(`probe-${collection}`, size);
    const touched = new IdList();
    for (const { term, weight } of terms)
      this.scorer.accumulateAt(collection, term, weight, sums, touched, found.docs, found.docs.length);
    const docs = new Int32Array(touched.length);
    const scores = new Float64Array(touched.length);
    let n = 0;
    for (let i = 0; i < found.docs.length; i++) {
      const doc = found.docs[i]!;
      if (sums[doc] === 0) continue;
      docs[n] = doc;
      scores[n++] = found.scores[i]! + sums[doc]!;
      sums[doc] = 0;
    }
    return { docs: docs.subarray(0, n), scores: scores.subarray(0, n) };
  }

  /**
   * The documents holding every one of `distinct` forms, with the sum of their BM25. Two forms (most
   * phrases): the rarer's postings read in full, the other's galloped to them, unless both are read
   * already (a phrase of a rare word and "the" costs about the rare word's postings); the sum is the
   * same either way (two numbers add alike in both orders). More forms, nothing filtered: the rarest's
   * postings read in full, each other's galloped to the documents left, rarest first, so the sums are
   * made in the order `intersect` makes them (by live documents, which is each form's document count
   * when no filter applies; ties in the phrase's order). With a filter: their postings intersected.
   */
  private candidatesOf(collection: Collection, distinct: readonly string[]): Postings {
    const df = (form: string) => this.scorer.documentCount(collection, form);
    if (distinct.length === 2) {
      const [rare, common] = df(distinct[0]!) <= df(distinct[1]!) ? distinct : [distinct[1]!, distinct[0]!];
      if (!this.postings.has(`${collection[0]}${common}`))
        return this.probe(collection, [{ term: common!, weight: 1 }], this.postingsOf(collection, rare!));
    }
    if (distinct.length > 2 && this.filter === null) {
      const [rarest, ...others] = [...distinct].sort((a, b) => df(a) - df(b));
      let found = this.postingsOf(collection, rarest!);
      for (const form of others) {
        if (found.docs.length === 0) break;
        found = this.probe(collection, [{ term: form, weight: 1 }], found);
      }
      return found;
    }
    return intersect(distinct.map((form) => this.postingsOf(collection, form)));
  }

  /** Adds `weight` × the phrase's score to each document of each collection (headlines only with `titlesOnly`) where it occurs. */
  accumulate(
    forms: string[],
    paraScores: Float64Array,
    paraTouched: IdList,
    titleScores: Float64Array,
    titleTouched: IdList,
    titlesOnly = false,
    weight = 1,
  ): void {
    const distinct = [...new Set(forms)];
    let found = false;
    // Headlines first: fewer, and boosted, so they are checked before a deadline can cut paragraphs.
    outer: for (const [collection, scores, touched] of [
      ['titles', titleScores, titleTouched],
      ['paragraphs', paraScores, paraTouched],
    ] as const) {
      if (titlesOnly && collection === 'paragraphs') continue;
      // Candidates hold every form: intersect the forms' sorted postings, rarest first.
      const { docs: candidates, scores: candidateScores } = this.candidatesOf(collection, distinct);
      const positions = forms.map((form) => this.positions.term(collection, form));
      for (let i = 0; i < candidates.length; i++) {
        if (i % DEADLINE_STRIDE === DEADLINE_STRIDE - 1 && this.deadline?.expired()) {
          this.matches.phraseLimitReached = true;
          break outer;
        }
        const doc = candidates[i]!;
        if (!holdsAt(positions, doc)) continue;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + candidateScores[i]! * weight;
        found = true;
      }
    }
    if (found) for (const form of distinct) this.matches.matchedTerms.add(form);
  }
}

/** True when the words whose positions are `words` (in phrase order) occur consecutively in document `doc`. */
function holdsAt(words: readonly TermPositions[], doc: number): boolean {
  if (words.length === 2) {
    // Two words (most phrases): one walk of both lists, nothing allocated but the lists.
    const first = words[0]!.positionsOf(doc);
    if (first.length === 0) return false;
    const second = words[1]!.positionsOf(doc);
    let j = 0;
    for (let i = 0; i < first.length; i++) {
      const next = first[i]! + 1;
      while (j < second.length && second[j]! < next) j++;
      if (j === second.length) return false;
      if (second[j] === next) return true;
    }
    return false;
  }
  const lists: Int32Array[] = [];
  for (const word of words) {
    const list = word.positionsOf(doc);
    if (list.length === 0) return false;
    lists.push(list);
  }
  return phraseStarts(lists, 1).length > 0;
}
