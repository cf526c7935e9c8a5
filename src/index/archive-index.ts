import MiniSearch, { type Options } from 'minisearch';
import type { Article } from '../corpus/article.js';
import { tokenize } from '../analysis/tokenize.js';
import { stemTerm } from '../analysis/index-terms.js';
import { internalsOf, type MiniSearchInternals, type TermTree } from './minisearch-internals.js';
import { computeState, loadState, type BulkDocument, type MiniSearchState } from './bulk-load.js';
import { Lexicon } from './lexicon.js';
import { compactPostings, postingCount } from './packed-term-data.js';

/** A MiniSearch document: one paragraph (`text`) or one headline (`title`). */
export interface IndexDocument {
  id: string;
  text?: string;
  title?: string;
}

/** Index terms of one token form: the form itself and its stem term. */
export function processForm(form: string): string[] {
  return [form, stemTerm(form)];
}

function tokenizeForms(text: string): string[] {
  return tokenize(text).map((t) => t.form);
}

/**
 * MiniSearch options for the paragraph index (`field` = `text`) or the headline
 * index (`title`): our tokenizer, each token indexed as its form and its stem term,
 * nothing stored (the article table holds the text), vacuuming done by us after updates.
 */
export function miniSearchOptions(field: 'text' | 'title'): Options<IndexDocument> {
  return {
    fields: [field],
    idField: 'id',
    storeFields: [],
    tokenize: tokenizeForms,
    processTerm: processForm,
    autoVacuum: false,
  };
}

function isSorted<T>(list: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}

/** `lengths` grown (doubling) to hold every short id MiniSearch has given out; the same array when it fits. */
function fitLengths(lengths: Float64Array<ArrayBuffer>, internals: MiniSearchInternals): Float64Array<ArrayBuffer> {
  if (lengths.length >= internals._nextId) return lengths;
  const grown = new Float64Array(Math.max(internals._nextId, lengths.length * 2));
  grown.set(lengths);
  return grown;
}

/** Paragraph document id: `<articleId>#p<index>`. */
export function paragraphId(articleId: string, index: number): string {
  return `${articleId}#p${index}`;
}

/**
 * The archive's index: paragraphs and headlines in two MiniSearch instances
 * (so each field's BM25 statistics are its own: a headline is not a paragraph),
 * the articles themselves, and per-document tables the search path reads by the
 * documents' MiniSearch short ids. Tables are rebuilt after every change.
 */
export class ArchiveIndex {
  readonly paragraphs: MiniSearch<IndexDocument>;
  readonly titles: MiniSearch<IndexDocument>;
  /** Articles by id. */
  readonly articles = new Map<string, Article>();
  /** Article id → the MiniSearch short ids of its headline and of its paragraphs (in order). */
  readonly shortIds = new Map<string, { title: number; paragraphs: Int32Array }>();

  /** Articles in a stable order (by id); `articleOrd` maps an id to its position. */
  articleList: Article[] = [];
  articleOrd = new Map<string, number>();
  /** Paragraph short id → article ordinal (-1: not a live document). */
  paraArticle = new Int32Array(0);
  /** Paragraph short id → paragraph index in its article. */
  paraIndex = new Int32Array(0);
  /** Paragraph short id → field length (distinct tokens), as MiniSearch's BM25 uses it; kept as documents are added. */
  paraLength = new Float64Array(0);
  /**
   * Short id → the BM25 length norm `k1·(1 − b) + k1·b·length/avgLength` of a live
   * paragraph (or headline), and -1 for a short id that is not a live document:
   * one array read per posting in the scoring loop, for liveness and length at once.
   * Recomputed by `refresh()` (the average length moves with every update).
   */
  paraNorm = new Float64Array(0);
  titleNorm = new Float64Array(0);
  /** Title short id → article ordinal (-1: not live). */
  titleArticle = new Int32Array(0);
  /** Article ordinal → short id of its headline document. */
  articleTitle = new Int32Array(0);
  titleLength = new Float64Array(0);
  /** Article ordinal → paragraph short ids, in paragraph order. */
  articleParagraphs: Int32Array[] = [];
  /** Article ordinal → publication time in ms since the epoch (NaN when unknown). */
  articleTime = new Float64Array(0);
  /** Bumped on every change: caches keyed on it are invalidated. */
  generation = 0;

  readonly paraInternals: MiniSearchInternals;
  readonly titleInternals: MiniSearchInternals;
  private lexiconCache: Lexicon | null = null;
  /** Word forms of articles added or removed since the last `refresh()`: their frequencies changed. */
  private readonly changedForms = new Set<string>();
  /** Articles added and ids removed since the last `refresh()`, to update the sorted article list in place. */
  private readonly pendingAdded: Article[] = [];
  private readonly pendingRemoved = new Set<string>();
  /** Article id → publication time (ms since the epoch, NaN when unknown), parsed once. */
  private readonly times = new Map<string, number>();

  constructor(paragraphs?: MiniSearch<IndexDocument>, titles?: MiniSearch<IndexDocument>) {
    this.paragraphs = paragraphs ?? new MiniSearch(miniSearchOptions('text'));
    this.titles = titles ?? new MiniSearch(miniSearchOptions('title'));
    this.paraInternals = internalsOf(this.paragraphs);
    this.titleInternals = internalsOf(this.titles);
  }

  /** The word forms of the index with their frequencies (built from the term trees on first use if not given). */
  get lexicon(): Lexicon {
    this.lexiconCache ??= Lexicon.fromTrees(this.termTrees);
    return this.lexiconCache;
  }

  /**
   * Takes what a bulk build or a snapshot holds besides MiniSearch's own tables:
   * the field lengths by short id and the lexicon (from the sorted term lists).
   */
  adoptStates(paragraphs: MiniSearchState, titles: MiniSearchState): void {
    this.lexiconCache = Lexicon.fromSortedTerms([paragraphs, titles]);
    this.paraLength = fitLengths(this.paraLength, this.paraInternals);
    this.titleLength = fitLengths(this.titleLength, this.titleInternals);
    paragraphs.shortIds.forEach((shortId, i) => (this.paraLength[shortId] = paragraphs.lengths[i]!));
    titles.shortIds.forEach((shortId, i) => (this.titleLength[shortId] = titles.lengths[i]!));
  }

  private noteForms(article: Article): void {
    if (!this.lexiconCache) return;
    for (const text of [article.title, ...article.paragraphs]) for (const form of tokenizeForms(text)) this.changedForms.add(form);
  }

  /** The term trees of both MiniSearch instances: paragraphs, then headlines. */
  get termTrees(): TermTree[] {
    return [this.paraInternals._index, this.titleInternals._index];
  }

  /** Documents (paragraphs plus headlines) containing an index term, form or stem term. */
  documentFrequency(term: string): number {
    let n = 0;
    for (const tree of this.termTrees) {
      const data = tree.get(term);
      if (data) n += postingCount(data, 0);
    }
    return n;
  }

  /** Number of articles. */
  get articleCount(): number {
    return this.articles.size;
  }

  /** Number of indexed paragraphs. */
  get paragraphCount(): number {
    return this.paragraphs.documentCount;
  }

  /** Records an article already in both MiniSearch instances under the given short ids. */
  registerArticle(article: Article, title: number, paragraphs: Int32Array): void {
    if (this.articles.has(article.id)) throw new Error(`article ${article.id} is already indexed`);
    this.articles.set(article.id, article);
    this.shortIds.set(article.id, { title, paragraphs });
    this.times.set(article.id, article.date ? Date.parse(article.date) : NaN);
    this.pendingAdded.push(article);
  }

  /** Adds articles (ids must be new) without refreshing tables; call `refresh()` after. */
  addArticles(articles: Iterable<Article>): void {
    // MiniSearch's postings change now: caches keyed on the generation must not outlive this.
    this.generation += 1;
    for (const article of articles) {
      if (this.articles.has(article.id)) throw new Error(`article ${article.id} is already indexed`);
      this.noteForms(article);
      this.titles.add({ id: article.id, title: article.title });
      const paragraphs = new Int32Array(article.paragraphs.length);
      article.paragraphs.forEach((text, i) => {
        this.paragraphs.add({ id: paragraphId(article.id, i), text });
        paragraphs[i] = this.paraInternals._nextId - 1;
      });
      const title = this.titleInternals._nextId - 1;
      this.paraLength = fitLengths(this.paraLength, this.paraInternals);
      this.titleLength = fitLengths(this.titleLength, this.titleInternals);
      for (const shortId of paragraphs) this.paraLength[shortId] = this.paraInternals._fieldLength.get(shortId)?.[0] ?? 0;
      this.titleLength[title] = this.titleInternals._fieldLength.get(title)?.[0] ?? 0;
      this.registerArticle(article, title, paragraphs);
    }
  }

  /**
   * Removes articles by id (unknown ids are ignored) without refreshing tables.
   * Uses MiniSearch's `remove()` with the indexed text, which deletes the postings
   * at once, so no stale entries skew document frequencies until a vacuum.
   */
  removeArticles(ids: Iterable<string>): void {
    this.generation += 1;
    for (const id of ids) {
      const article = this.articles.get(id);
      if (!article) continue;
      this.articles.delete(id);
      this.shortIds.delete(id);
      this.times.delete(id);
      this.pendingRemoved.add(id);
      this.noteForms(article);
      this.titles.remove({ id, title: article.title });
      article.paragraphs.forEach((text, i) => this.paragraphs.remove({ id: paragraphId(id, i), text }));
    }
  }

  /**
   * The articles sorted by id: the previous list with removed articles dropped
   * and added ones merged in (a full sort only when most of the list changed).
   */
  private sortedArticles(): Article[] {
    const byId = (a: Article, b: Article) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const added = this.pendingAdded.filter((a) => this.articles.get(a.id) === a);
    if (!isSorted(added, byId)) added.sort(byId);
    const kept = this.articleList.filter((a) => !this.pendingRemoved.has(a.id) && this.articles.get(a.id) === a);
    this.pendingAdded.length = 0;
    this.pendingRemoved.clear();
    if (kept.length === 0) return isSorted(added, byId) ? added : added.sort(byId);
    if (added.length > kept.length) return [...kept, ...added].sort(byId);
    const merged: Article[] = [];
    let j = 0;
    for (const article of kept) {
      while (j < added.length && byId(added[j]!, article) < 0) merged.push(added[j++]!);
      merged.push(article);
    }
    while (j < added.length) merged.push(added[j++]!);
    return merged;
  }

  /** Rebuilds the per-document tables from the MiniSearch instances and the articles; updates the lexicon. */
  refresh(): void {
    compactPostings();
    if (this.lexiconCache && this.changedForms.size > 0) {
      this.lexiconCache.update(this.changedForms, (form) => this.documentFrequency(form));
      this.changedForms.clear();
    }
    const list = (this.articleList = this.sortedArticles());
    const count = list.length;
    this.articleOrd = new Map();
    this.articleTime = new Float64Array(count);
    this.articleParagraphs = new Array<Int32Array>(count);
    this.articleTitle = new Int32Array(count);

    // Tables by short id, filled from each article's short ids (no id strings parsed).
    const p = this.paraInternals;
    const t = this.titleInternals;
    this.paraArticle = new Int32Array(p._nextId).fill(-1);
    this.paraIndex = new Int32Array(p._nextId);
    this.paraLength = fitLengths(this.paraLength, p);
    this.titleArticle = new Int32Array(t._nextId).fill(-1);
    this.titleLength = fitLengths(this.titleLength, t);
    const { paraArticle, paraIndex, titleArticle } = this;
    for (let ord = 0; ord < count; ord++) {
      const id = list[ord]!.id;
      const ids = this.shortIds.get(id)!;
      this.articleOrd.set(id, ord);
      this.articleTime[ord] = this.times.get(id)!;
      this.articleParagraphs[ord] = ids.paragraphs;
      const paragraphs = ids.paragraphs;
      for (let index = 0; index < paragraphs.length; index++) {
        paraArticle[paragraphs[index]!] = ord;
        paraIndex[paragraphs[index]!] = index;
      }
      titleArticle[ids.title] = ord;
      this.articleTitle[ord] = ids.title;
    }
    this.paraNorm = lengthNorms(this.paraArticle, this.paraLength, p._avgFieldLength[0] ?? 1);
    this.titleNorm = lengthNorms(this.titleArticle, this.titleLength, t._avgFieldLength[0] ?? 1);
    this.generation += 1;
  }
}

/**
 * BM25 parameters: the scorer and the norms agree on them (and the plain scorer hands them to MiniSearch).
 * k1 1.2 and b 0.75, the standard values (FTS5's and Lucene's), and d 0: plain BM25, not MiniSearch's
 * BM25+ (d 0.5), whose bonus per matching term let long queries rank documents by how many words they
 * share; measured in `bench/RELEVANCE.md`.
 */
export const BM25 = { k: 1.2, b: 0.75, d: 0 } as const;

function lengthNorms(live: Int32Array, lengths: Float64Array, avg: number): Float64Array<ArrayBuffer> {
  const norms = new Float64Array(live.length);
  const base = BM25.k * (1 - BM25.b);
  const slope = (BM25.k * BM25.b) / avg;
  for (let doc = 0; doc < live.length; doc++) norms[doc] = live[doc]! < 0 ? -1 : base + slope * lengths[doc]!;
  return norms;
}

/**
 * Builds an index of the given articles (ids must be unique). Fills both
 * MiniSearch instances in bulk (see `bulk-load.ts`): the result is the same as
 * adding every document with `add()`, in article order, but much faster.
 */
export function buildIndex(articles: Iterable<Article>): ArchiveIndex {
  const list = [...articles];
  const paragraphDocs: BulkDocument[] = [];
  const titleDocs: BulkDocument[] = [];
  for (const article of list) {
    titleDocs.push({ id: article.id, forms: tokenizeForms(article.title) });
    article.paragraphs.forEach((text, i) => paragraphDocs.push({ id: paragraphId(article.id, i), forms: tokenizeForms(text) }));
  }
  const paragraphs = new MiniSearch(miniSearchOptions('text'));
  const titles = new MiniSearch(miniSearchOptions('title'));
  const states = [computeState(paragraphDocs, processForm), computeState(titleDocs, processForm)] as const;
  loadState(paragraphs, states[0]);
  loadState(titles, states[1]);
  const index = new ArchiveIndex(paragraphs, titles);
  index.adoptStates(states[0], states[1]);
  // Short ids were given in order: headline i is article i, paragraphs follow one another.
  let next = 0;
  list.forEach((article, i) => {
    const count = article.paragraphs.length;
    index.registerArticle(article, i, Int32Array.from({ length: count }, (_, k) => next + k));
    next += count;
  });
  index.refresh();
  return index;
}

/** Builds the index the slow way, one `add()` per document: the reference the bulk build is tested against. */
export function buildIndexByAdding(articles: Iterable<Article>): ArchiveIndex {
  const index = new ArchiveIndex();
  index.addArticles(articles);
  index.refresh();
  return index;
}
