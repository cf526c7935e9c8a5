import type { Article } from '../corpus/article.js';
import type { Segment } from './segments/segment-reader.js';
import { memorySink, type SegmentSink } from './segment-sink.js';
import type { CollectionKey } from './segments/segment-writer.js';
import type { FormsLexicon } from './segments/forms-lexicon.js';
import { IndexLexiconState } from './index-lexicon-state.js';
import type { Lexicon } from './layered-lexicon.js';
import { documentTables, type DocumentTables } from './document-tables.js';
import { PostingsCache } from './postings-cache.js';
import { StoredArticles } from './stored-articles.js';

/** Paragraph id: `<articleId>#p<index>`. */
export function paragraphId(articleId: string, index: number): string {
  return `${articleId}#p${index}`;
}

/** Article metadata fields that filters and facets read. */
export type MetaField = 'source' | 'section' | 'authors' | 'tags' | 'people' | 'orgs' | 'places';

/** Which documents a term is scored in: paragraphs or headlines. */
export type Collection = 'paragraphs' | 'titles';

/** A term's postings over the whole index: `docs[start … end)` ascending (global numbers), `tfs` parallel. */
export interface TermPostings {
  docs: Int32Array;
  tfs: Uint16Array;
  start: number;
  end: number;
  /** Live documents among them (deleted ones stay in the postings until a merge; scoring skips them). */
  df: number;
}

/**
 * BM25 parameters: the scorer and the norms agree on them (and the plain scorer hands them to MiniSearch).
 * k1 1.2 and b 0.75, the standard values (FTS5's and Lucene's), and d 0: plain BM25, not MiniSearch's
 * BM25+ (d 0.5), whose bonus per matching term let long queries rank documents by how many words they
 * share; measured in `bench/RELEVANCE.md`.
 */
export const BM25 = { k: 1.2, b: 0.75, d: 0 } as const;

/** An article's metadata: everything but its paragraphs. */
export type ArticleRecord = Omit<Article, 'paragraphs'>;

const keyOf = (collection: Collection): CollectionKey => (collection === 'paragraphs' ? 'p' : 't');

/**
 * The archive's index as queries see it: a list of immutable segments read
 * together, with global document numbers (segment after segment: paragraphs of
 * segment 0, then of segment 1…; articles and headlines likewise, a headline
 * numbered as its article) and global statistics (live document counts and
 * average lengths summed over segments), so results do not depend on how the
 * archive is cut into segments.
 *
 * Tables the scorer reads per document are typed arrays rebuilt by `refresh()`
 * (after articles are added or removed); postings and stored text stay in the
 * segments and are read when a query needs them. Articles added go to a buffer
 * that `refresh()` writes out as a new segment (to `sink`).
 */
export class ArchiveIndex {
  segments: Segment[] = [];
  /** Per segment: its first global paragraph and article number. */
  paraBase = new Int32Array(1);
  articleBase = new Int32Array(1);

  /** Paragraph → article number (-1: deleted). */
  paraArticle = new Int32Array(0);
  /** Paragraph → its position in its article. */
  paraIndex = new Int32Array(0);
  /** Paragraph → BM25 length norm `k1·(1 − b) + k1·b·length/avgLength`, -1 when deleted: one read per posting for liveness and length. */
  paraNorm = new Float64Array(0);
  /** Headline (= article number) → article number, -1 when deleted. */
  titleArticle = new Int32Array(0);
  titleNorm = new Float64Array(0);
  /** Paragraphs of article `ord` are `articleFirstPara[ord] … articleFirstPara[ord + 1]`. */
  articleFirstPara = new Int32Array(1);
  /** Article → publication time in ms since the epoch (NaN when unknown). */
  articleTime = new Float64Array(0);
  /** Bumped on every change: caches keyed on it are invalidated. */
  generation = 0;
  /**
   * Bumped when document and article numbers change (segments merged or replaced); a write
   * (segments added, articles deleted) keeps them, so a long reader (an export) can go on.
   */
  numbering = 0;

  private liveArticleCount = 0;
  private liveParagraphs = 0;
  private readonly pending: Article[] = [];
  private readonly pendingIds = new Map<string, number>();
  /** Decoded postings by collection key + term, least recently used first. */
  private readonly postingsCache = new PostingsCache();
  /** Bumped whenever articles of the segments are deleted: cached live counts are then taken again. */
  private deletions = 0;
  private readonly stored = new StoredArticles((ord) => {
    const s = this.segmentOf(ord);
    return { segment: this.segments[s]!, local: ord - this.articleBase[s]! };
  });
  private readonly lexiconState: IndexLexiconState;
  private tables: DocumentTables | null = null;

  constructor(
    segments: Segment[] = [],
    private sink: SegmentSink = memorySink,
    lexicon: FormsLexicon | null = null,
  ) {
    this.segments = segments;
    this.lexiconState = new IndexLexiconState(lexicon);
    this.rebuildTables();
  }

  /** Every word form with its document frequency (paragraphs + headlines), for prefixes, typos and suggestions. */
  get lexicon(): Lexicon {
    return this.lexiconState.current(this.segments);
  }

  /** Folds the lexicon's changes into it in a worker thread; the caller must not change the index meanwhile. */
  compactLexiconInWorker(): Promise<void> {
    return this.lexiconState.compactInWorker();
  }

  /** The lexicon as one `FormsLexicon` (the changes folded into it: O(vocabulary)), to save it. */
  compactedLexicon(): FormsLexicon {
    return this.lexiconState.compacted(this.segments);
  }

  /** Live articles. */
  get articleCount(): number {
    return this.liveArticleCount + this.pending.length;
  }

  /** Live paragraphs. */
  get paragraphCount(): number {
    return this.liveParagraphs;
  }

  /** Article numbers given out (deleted ones included): the size of per-article arrays. */
  get articleSlots(): number {
    return this.articleTime.length;
  }

  /** True when article `ord` is live. */
  isLive(ord: number): boolean {
    return this.titleArticle[ord]! >= 0;
  }

  /** Index (in `segments`) of the segment holding article `ord`. */
  segmentOf(ord: number): number {
    const bases = this.articleBase;
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (bases[mid]! <= ord) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The article `ord` (read from its segment; recent ones are remembered). */
  article(ord: number): Article {
    return this.stored.article(ord);
  }

  /**
   * The metadata of article `ord` without its paragraphs (what a hit shows), read
   * from its segment's stored record alone and remembered: cheaper than `article()`
   * when a page needs only a few of an article's paragraphs. `remember` false reads
   * without keeping it (an export walks every article once: it would evict what searches reuse).
   */
  articleMeta(ord: number, remember = true): ArticleRecord {
    return this.stored.meta(ord, remember);
  }

  /** The text of paragraph `doc`. */
  paragraphText(doc: number): string {
    return this.stored.paragraph(this.paraArticle[doc]!, this.paraIndex[doc]!);
  }

  /** The headline of article `ord`. */
  titleText(ord: number): string {
    return this.stored.title(ord);
  }

  /** Article number of a live article id, or -1. */
  ordOf(id: string): number {
    for (let s = this.segments.length - 1; s >= 0; s--) {
      const segment = this.segments[s]!;
      const local = segment.findArticle(id);
      if (local >= 0 && !segment.deleted[local]) return this.articleBase[s]! + local;
    }
    return -1;
  }

  /** True when a live article has this id (added but not yet refreshed ones included); reads no text. */
  hasArticle(id: string): boolean {
    return this.pendingIds.has(id) || this.ordOf(id) >= 0;
  }

  /** A live article by id (added but not yet refreshed ones included). */
  getArticle(id: string): Article | undefined {
    const at = this.pendingIds.get(id);
    if (at !== undefined) return this.pending[at];
    const ord = this.ordOf(id);
    return ord < 0 ? undefined : this.article(ord);
  }

  /** Every live article, in article-number order (read from the segments one by one). */
  *liveArticles(): Generator<Article> {
    for (let ord = 0; ord < this.articleSlots; ord++) if (this.isLive(ord)) yield this.article(ord);
  }

  /** Live article numbers whose source file is `file`. */
  articlesOfFile(file: string): number[] {
    const out: number[] = [];
    this.segments.forEach((segment, s) => {
      // The file's code in this segment's dictionary, then a scan of integer codes.
      let code = -1;
      for (let c = 0; c < segment.dict.size && code < 0; c++) if (segment.dict.peek(c) === file) code = c;
      if (code < 0) return;
      for (let i = 0; i < segment.articleCount; i++) if (segment.file[i] === code && !segment.deleted[i]) out.push(this.articleBase[s]! + i);
    });
    return out;
  }

  /** Adds articles (ids must not be live) to the buffer; `refresh()` makes them searchable. */
  addArticles(articles: Iterable<Article>): void {
    for (const article of articles) {
      if (this.pendingIds.has(article.id) || this.ordOf(article.id) >= 0) throw new Error(`article ${article.id} is already indexed`);
      this.pendingIds.set(article.id, this.pending.length);
      this.pending.push(article);
      this.noteForms(article, 1);
    }
  }

  /**
   * Records the document-frequency change of each form of an article's headline
   * and paragraphs (+1 or -1 per document holding it), so the lexicon follows
   * additions and deletions from the articles' own text, without re-reading postings.
   */
  private noteForms(article: Article, sign: 1 | -1): void {
    this.lexiconState.note([article], sign);
  }

  /**
   * Adds a segment written elsewhere (a worker thread), with its articles' form
   * counts for the lexicon (see `countForms`); its ids must not be live.
   * `refresh()` makes it searchable.
   */
  addSegment(segment: Segment, forms: Iterable<[string, number]>): void {
    this.segments = [...this.segments, segment];
    this.lexiconState.noteCounts(forms);
  }

  /** Deletes articles by id (unknown ids are ignored); `refresh()` makes it visible. Returns how many were deleted. */
  removeArticles(ids: Iterable<string>): number {
    let removed = 0;
    const drop = new Set<string>();
    for (const id of ids) {
      if (this.pendingIds.has(id)) {
        if (!drop.has(id)) this.noteForms(this.pending[this.pendingIds.get(id)!]!, -1);
        drop.add(id);
        removed++;
        continue;
      }
      for (let s = 0; s < this.segments.length; s++) {
        const segment = this.segments[s]!;
        const local = segment.findArticle(id);
        if (local < 0 || segment.deleted[local]) continue;
        if (this.lexiconState.tracking) this.noteForms(segment.article(local), -1);
        segment.deleteArticle(local);
        this.deletions++;
        removed++;
      }
    }
    if (drop.size > 0) {
      const kept = this.pending.filter((a) => !drop.has(a.id));
      this.pending.length = 0;
      this.pendingIds.clear();
      for (const a of kept) {
        this.pendingIds.set(a.id, this.pending.length);
        this.pending.push(a);
      }
    }
    if (removed > 0) this.generation++;
    return removed;
  }

  /** Writes buffered articles as a new segment (through the sink) and rebuilds the tables. */
  refresh(): void {
    if (this.pending.length > 0) {
      this.segments = [...this.segments, this.sink.write(this.pending)];
      this.pending.length = 0;
      this.pendingIds.clear();
    }
    this.lexiconState.apply();
    this.rebuildTables(true);
  }

  /** Where `refresh()` writes segments from now on. */
  useSink(sink: SegmentSink): void {
    this.sink = sink;
  }

  /**
   * Replaces the segment list (after a flush or a merge made elsewhere) and
   * rebuilds the tables; `sameArticles`: the new list holds the same live articles
   * (a merge), so the lexicon stays as it is (otherwise it is built again when needed).
   */
  replaceSegments(segments: Segment[], sameArticles = false): void {
    this.segments = segments;
    if (!sameArticles) this.lexiconState.reset();
    this.rebuildTables();
  }

  /**
   * Rebuilds the per-document tables; `incremental`: the segments only grew or
   * lost articles since the last build (a refresh), so the old rows are reused.
   */
  private rebuildTables(incremental = false): void {
    const tables = documentTables(this.segments, incremental ? this.tables : null);
    this.tables = tables;
    this.paraBase = tables.paraBase;
    this.articleBase = tables.articleBase;
    this.paraArticle = tables.paraArticle;
    this.paraIndex = tables.paraIndex;
    this.paraNorm = tables.paraNorm;
    this.titleArticle = tables.titleArticle;
    this.titleNorm = tables.titleNorm;
    this.articleFirstPara = tables.articleFirstPara;
    this.articleTime = tables.articleTime;
    this.liveArticleCount = tables.liveArticles;
    this.liveParagraphs = tables.liveParagraphs;
    // Article numbers stay when segments are only added: cached postings are then extended on use, and
    // cached articles stay good.
    if (!incremental) {
      this.numbering++;
      this.postingsCache.clear();
      this.stored.clear();
    }
    this.generation++;
  }

  /** Live documents of a collection (the N of BM25's IDF). */
  liveDocumentCount(collection: Collection): number {
    return collection === 'paragraphs' ? this.liveParagraphs : this.liveArticleCount;
  }

  /**
   * A term's postings over every segment, decoded once and kept (until the index
   * changes or the cache is full); null when no segment holds it.
   */
  termPostings(collection: Collection, term: string): TermPostings | null {
    const c = keyOf(collection);
    const source = { segments: this.segments, deletions: this.deletions, bases: c === 'p' ? this.paraBase : this.articleBase, live: c === 'p' ? this.paraArticle : this.titleArticle };
    return this.postingsCache.get(c, term, source);
  }

  /**
   * Documents of a collection holding an index term, deleted ones included, from the
   * segments' dictionaries alone (no postings read): a cheap estimate.
   */
  storedDocumentFrequency(collection: Collection, term: string): number {
    const c = keyOf(collection);
    let n = 0;
    for (const segment of this.segments) {
      const i = segment.findTerm(c, term);
      if (i >= 0) n += segment.termDf(c, i);
    }
    return n;
  }

  /** Live documents of a collection holding an index term. */
  documentFrequency(collection: Collection, term: string): number {
    return this.termPostings(collection, term)?.df ?? 0;
  }

  /** Releases the segments' files. */
  close(): void {
    for (const segment of this.segments) segment.close();
  }
}

/**
 * Builds an index of the given articles (ids unique) in memory, cut into
 * segments of at most `segmentArticles` articles (default: one segment).
 */
export function buildIndex(articles: Iterable<Article>, options: { segmentArticles?: number; sink?: SegmentSink } = {}): ArchiveIndex {
  const list = [...articles];
  const size = options.segmentArticles ?? Math.max(1, list.length);
  const sink = options.sink ?? memorySink;
  const segments: Segment[] = [];
  for (let i = 0; i < list.length; i += size) segments.push(sink.write(list.slice(i, i + size)));
  return new ArchiveIndex(segments, sink);
}
