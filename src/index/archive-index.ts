import type { Article } from '../corpus/article.js';
import type { Segment } from './segments/segment-reader.js';
import type { CollectionKey } from './segments/segment-writer.js';
import type { FormsLexicon } from './lexicon/lexicon.js';
import { IndexLexiconState } from './lexicon/lexicon.js';
import type { Lexicon } from './lexicon/lexicon.js';
import { documentTables, type DocumentTables } from './document-tables.js';
import type { LengthNorms } from './length-norms.js';
import { PostingsCache } from './postings-cache.js';
import { StoredArticles, type ArticleRecord } from './stored-articles.js';
import type { TermPostings } from './term-postings.js';
import { termKey } from './segments/utf8-order.js';

export type { ArticleRecord } from './stored-articles.js';
export type { TermPostings } from './term-postings.js';

/** Paragraph id: `<articleId>#p<index>`. */
export function paragraphId(articleId: string, index: number): string {
  return `${articleId}#p${index}`;
}

/** Article metadata fields that filters and facets read. */
export type MetaField = 'source' | 'section' | 'authors' | 'tags' | 'people' | 'orgs' | 'places';

/** Which documents a term is scored in: paragraphs or headlines. */
export type Collection = 'paragraphs' | 'titles';

const keyOf = (collection: Collection): CollectionKey => (collection === 'paragraphs' ? 'p' : 't');

/**
 * Where a reader comes from (what `IndexWriter` hands over at a refresh): the
 * reader it follows, whether document numbers changed since, the lexicon, and
 * how many deletions the writer has made so far.
 */
export interface ReaderOrigin {
  /**
   * The reader this one replaces: its tables are extended (when its segments
   * begin this one's list) and its caches kept (when the numbering holds).
   */
  previous?: ArchiveIndex | null;
  /** Document numbers changed since `previous` (segments merged or replaced): nothing of it is reused. */
  renumbered?: boolean;
  /** The lexicon of word forms: the writer's (kept current by it), or one read from a commit, or null (built when needed). */
  lexicon?: IndexLexiconState | FormsLexicon | null;
  /** Deletions the writer has made so far (a count that only grows): cached postings older than this count are updated. */
  deletions?: number;
}

/**
 * A reader: the archive's index as queries see it, at one point in time — a
 * list of immutable segments read together, with global document numbers
 * (segment after segment: paragraphs of segment 0, then of segment 1…;
 * articles and headlines likewise, a headline numbered as its article) and
 * global statistics (live document counts and average lengths summed over
 * segments), so results do not depend on how the archive is cut into segments.
 *
 * Nothing here changes after construction: the `IndexWriter` (the one place
 * that adds, deletes, flushes, merges and commits) makes a new reader at each
 * refresh, so a query that holds a reader never sees half of a change. Tables
 * the scorer reads per document are typed arrays built at construction;
 * postings and stored text stay in the segments and are read when a query
 * needs them. Readers that follow one another without renumbering share their
 * caches of decoded postings and stored articles (both keyed by numbers that
 * stay valid), and the writer's lexicon.
 */
export class ArchiveIndex {
  readonly segments: readonly Segment[];
  /** Per segment: its first global paragraph and article number. */
  readonly paraBase: Int32Array;
  readonly articleBase: Int32Array;
  /** Paragraph → article number (-1: deleted). */
  readonly paraArticle: Int32Array;
  /** Paragraph → BM25 length norm `k1·(1 − b) + k1·b·length/avgLength`, from `paraLength` (live or not: see `paraArticle`). */
  readonly paraNorms: LengthNorms;
  /** Headline (= article number) → article number, -1 when deleted. */
  readonly titleArticle: Int32Array;
  readonly titleNorms: LengthNorms;
  /** Paragraph → its length in tokens; headline (= article number) → its length in tokens. */
  readonly paraLength: Uint16Array;
  readonly titleLength: Uint16Array;
  /** Mean tokens per live article, headline and paragraphs together (0 when there is none). */
  readonly averageArticleLength: number;
  /** Paragraphs of article `ord` are `articleFirstPara[ord] … articleFirstPara[ord + 1]`. */
  readonly articleFirstPara: Int32Array;
  /** Article → publication time in ms since the epoch (NaN when unknown). */
  readonly articleTime: Float64Array;
  /** One more than the reader it replaces: caches keyed on it are invalidated. */
  readonly generation: number;
  /**
   * Bumped when document and article numbers change (segments merged or replaced); a write
   * (segments added, articles deleted) keeps them, so a long reader (an export) can go on.
   */
  readonly numbering: number;

  private readonly tables: DocumentTables;
  /** The writer's deletion count when this reader was made (see `PostingsCache`). */
  private readonly deletions: number;
  /** Decoded postings by collection key + term, least recently used first. */
  private readonly postingsCache: PostingsCache;
  private readonly stored: StoredArticles;
  private readonly lexiconState: IndexLexiconState;
  /** Shared by a writer's readers, one after another: the newest of them. */
  /** Shared by every reader of one index (the one made from the other by refreshes): caches of the index over time key on it. */
  readonly lineage: { latest: ArchiveIndex };

  /** A reader of `segments` (see {@link ReaderOrigin}); `new ArchiveIndex(segments)` reads segments made elsewhere. */
  constructor(segments: readonly Segment[] = [], origin: ReaderOrigin = {}) {
    const previous = origin.previous ?? null;
    const follows =
      previous !== null &&
      !origin.renumbered &&
      previous.segments.length <= segments.length &&
      previous.segments.every((s, i) => segments[i] === s);
    this.segments = [...segments];
    this.tables = documentTables(this.segments, follows ? previous.tables : null);
    const t = this.tables;
    this.paraBase = t.paraBase;
    this.articleBase = t.articleBase;
    this.paraArticle = t.paraArticle;
    this.paraNorms = t.paraNorms;
    this.titleArticle = t.titleArticle;
    this.titleNorms = t.titleNorms;
    this.paraLength = t.paraLength;
    this.titleLength = t.titleLength;
    this.averageArticleLength = t.liveArticles > 0 ? (t.paraLengthSum + t.titleLengthSum) / t.liveArticles : 0;
    this.articleFirstPara = t.articleFirstPara;
    this.articleTime = t.articleTime;
    this.generation = (previous?.generation ?? 0) + 1;
    this.deletions = origin.deletions ?? 0;
    // Article numbers stay when segments are only added or articles deleted: cached postings are then
    // extended on use, and cached articles stay good.
    this.numbering = follows ? previous.numbering : (previous?.numbering ?? 0) + 1;
    this.postingsCache = follows ? previous.postingsCache : new PostingsCache();
    this.stored = follows ? previous.stored : new StoredArticles();
    this.lineage = previous?.lineage ?? { latest: this };
    this.lineage.latest = this;
    const lexicon = origin.lexicon ?? null;
    this.lexiconState = lexicon instanceof IndexLexiconState ? lexicon : new IndexLexiconState(lexicon);
  }

  /**
   * The newest reader of the same writer (this one, until a refresh replaces it): what a
   * long reader that must follow the index — an export, between its steps — looks at.
   */
  get latest(): ArchiveIndex {
    return this.lineage.latest;
  }

  /** Every word form with its document frequency (paragraphs + headlines), for prefixes, typos and suggestions. */
  get lexicon(): Lexicon {
    return this.lexiconState.current(this.segments);
  }

  /** Live articles. */
  get articleCount(): number {
    return this.tables.liveArticles;
  }

  /** Live paragraphs. */
  get paragraphCount(): number {
    return this.tables.liveParagraphs;
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

  /** Where article `ord` is stored in this reader's segments: its segment and its number there. */
  private readonly locate = (ord: number): { segment: Segment; local: number } => {
    const s = this.segmentOf(ord);
    return { segment: this.segments[s]!, local: ord - this.articleBase[s]! };
  };

  /** The article `ord` (read from its segment; recent ones are remembered). */
  article(ord: number): Article {
    return this.stored.article(ord, this.locate);
  }

  /**
   * The metadata of article `ord` without its paragraphs (what a hit shows), read
   * from its segment's stored record alone and remembered: cheaper than `article()`
   * when a page needs only a few of an article's paragraphs. `remember` false reads
   * without keeping it (an export walks every article once: it would evict what searches reuse).
   */
  articleMeta(ord: number, remember = true): ArticleRecord {
    return this.stored.meta(ord, remember, this.locate);
  }

  /** The text of paragraph `doc`. */
  paragraphText(doc: number): string {
    const ord = this.paraArticle[doc]!;
    return this.stored.paragraph(ord, this.paragraphIndex(doc), this.locate);
  }

  /**
   * The position of paragraph `doc` in its article (0: its lead), from `articleFirstPara` (a table of its
   * own was 4 bytes a paragraph: 22 MB at 5.5 million).
   */
  paragraphIndex(doc: number): number {
    const ord = this.paraArticle[doc]!;
    if (ord >= 0) return doc - this.articleFirstPara[ord]!;
    // A deleted paragraph: its article is the last whose first paragraph is at or before it.
    const first = this.articleFirstPara;
    let lo = 0;
    let hi = first.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (first[mid]! <= doc) lo = mid;
      else hi = mid;
    }
    return doc - first[lo]!;
  }

  /** The texts of paragraphs `docs`, all of one article, in `docs`'s order (read from its segment at once when they are near each other). */
  paragraphTexts(docs: readonly number[]): string[] {
    if (docs.length === 0) return [];
    const ord = this.paraArticle[docs[0]!]!;
    if (docs.some((doc) => this.paraArticle[doc] !== ord)) throw new RangeError('paragraphs of several articles');
    return this.stored.paragraphs(
      ord,
      docs.map((doc) => this.paragraphIndex(doc)),
      this.locate,
    );
  }

  /** The headline of article `ord`. */
  titleText(ord: number): string {
    return this.stored.title(ord, this.locate);
  }

  /** Article number of a live article id, or -1. */
  ordOf(id: string): number {
    for (let s = this.segments.length - 1; s >= 0; s--) {
      const local = this.segments[s]!.findArticle(id);
      // Liveness from this reader's tables, not the segment's deletions (the writer may have deleted it since).
      if (local >= 0 && this.isLive(this.articleBase[s]! + local)) return this.articleBase[s]! + local;
    }
    return -1;
  }

  /** True when a live article has this id; reads no text. */
  hasArticle(id: string): boolean {
    return this.ordOf(id) >= 0;
  }

  /** A live article by id. */
  getArticle(id: string): Article | undefined {
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
      const base = this.articleBase[s]!;
      for (let i = 0; i < segment.articleCount; i++)
        if (segment.file[i] === code && this.isLive(base + i)) out.push(base + i);
    });
    return out;
  }

  /** Live documents of a collection (the N of BM25's IDF). */
  /**
   * The BM25 length norm of a document of `length` tokens in `collection`, by the
   * formula of `paraNorms` / `titleNorms` (so a bound computed from a shorter length
   * is never below a document's norm-based score).
   */
  lengthNorm(collection: Collection, length: number): number {
    return (collection === 'paragraphs' ? this.paraNorms : this.titleNorms).ofLength(length);
  }

  liveDocumentCount(collection: Collection): number {
    return collection === 'paragraphs' ? this.tables.liveParagraphs : this.tables.liveArticles;
  }

  /**
   * A term's postings over every segment, decoded once and kept (until the index
   * changes or the cache is full); null when no segment holds it.
   */
  termPostings(collection: Collection, term: string): TermPostings | null {
    const c = keyOf(collection);
    const source = {
      segments: this.segments,
      deletions: this.deletions,
      bases: c === 'p' ? this.paraBase : this.articleBase,
      live: c === 'p' ? this.paraArticle : this.titleArticle,
    };
    return this.postingsCache.get(c, term, source);
  }

  /**
   * Documents of a collection holding an index term, deleted ones included, from the
   * segments' dictionaries alone (no postings read): a cheap estimate.
   */
  storedDocumentFrequency(collection: Collection, term: string): number {
    const c = keyOf(collection);
    let n = 0;
    const key = termKey(term);
    for (const segment of this.segments) {
      const i = segment.findTerm(c, term, key);
      if (i >= 0) n += segment.termDf(c, i);
    }
    return n;
  }

  /** Live documents of a collection holding an index term. */
  documentFrequency(collection: Collection, term: string): number {
    return this.termPostings(collection, term)?.df ?? 0;
  }

  /** Releases the segments' files (when no writer or other reader needs them any more). */
  close(): void {
    for (const segment of this.segments) segment.close();
  }
}
