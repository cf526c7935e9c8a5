import type { Article } from '../corpus/article.js';
import type { Segment } from './segments/segment-reader.js';

/** An article's metadata: everything but its paragraphs. */
export type ArticleRecord = Omit<Article, 'paragraphs'>;

/** Most parsed articles kept for snippets and hits. */
const MAX_CACHED_ARTICLES = 2_000;
/** Most article metadata records kept (a few hundred bytes each). */
const MAX_CACHED_METAS = 50_000;

/** Where article `ord` is stored: its segment and its number there. */
export type Locate = (ord: number) => { segment: Segment; local: number };

/** Keeps `value` under `key` in a map of at most `max` entries, the oldest out first. */
function remember<K, V>(map: Map<K, V>, max: number, key: K, value: V): void {
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/**
 * The stored text and metadata of an index's articles, read from their
 * segments by range, the recently read ones remembered (whole articles and
 * metadata records apart: a page of hits needs the records, an article view the whole).
 * Keyed by article number: readers that share one share their numbering (a
 * reader with new numbers makes a new one); each call says where its reader
 * stores the article, read only when it is not remembered.
 */
export class StoredArticles {
  private readonly articles = new Map<number, Article>();
  private readonly metas = new Map<number, ArticleRecord>();

  /** The article `ord`. */
  article(ord: number, locate: Locate): Article {
    let article = this.articles.get(ord);
    if (!article) {
      const { segment, local } = locate(ord);
      article = segment.article(local);
      remember(this.articles, MAX_CACHED_ARTICLES, ord, article);
    }
    return article;
  }

  /** The metadata of article `ord` without its paragraphs; `keep` false reads without remembering it. */
  meta(ord: number, keep: boolean, locate: Locate): ArticleRecord {
    let meta = this.metas.get(ord) ?? this.articles.get(ord);
    if (!meta) {
      const { segment, local } = locate(ord);
      const [id, title, date, authors, source, section, url, tags, file] = segment.storedMeta(local);
      meta = { id, title, date, authors, source, section, url, tags, file };
    }
    if (keep && !this.metas.has(ord)) remember(this.metas, MAX_CACHED_METAS, ord, meta);
    return meta;
  }

  /** Paragraph `k` of article `ord`. */
  paragraph(ord: number, k: number, locate: Locate): string {
    const cached = this.articles.get(ord);
    if (cached) return cached.paragraphs[k]!;
    const { segment, local } = locate(ord);
    return segment.paragraphText(local, k);
  }

  /** Paragraphs `ks` of article `ord`, in `ks`'s order. */
  paragraphs(ord: number, ks: readonly number[], locate: Locate): string[] {
    const cached = this.articles.get(ord);
    if (cached) return ks.map((k) => cached.paragraphs[k]!);
    const { segment, local } = locate(ord);
    return segment.paragraphTexts(local, ks);
  }

  /** The headline of article `ord`. */
  title(ord: number, locate: Locate): string {
    const cached = this.articles.get(ord);
    if (cached) return cached.title;
    const { segment, local } = locate(ord);
    return segment.storedMeta(local)[1];
  }
}
