import MiniSearch, { type Options } from 'minisearch';
import type { Article } from '../../src/corpus/article.js';
import { processForm, tokenForms } from '../../src/index/segments/build-segment.js';
import { paragraphId } from '../../src/index/archive-index.js';
import { isStemTerm } from '../../src/analysis/index-terms.js';

/** A MiniSearch document: one paragraph (`text`) or one headline (`title`). */
export interface IndexDocument {
  id: string;
  text?: string;
  title?: string;
}

/**
 * MiniSearch options for the paragraph (`text`) or headline (`title`) documents:
 * our tokenizer, each token indexed as its form and its stem term, nothing stored.
 */
export function miniSearchOptions(field: 'text' | 'title'): Options<IndexDocument> {
  return { fields: [field], idField: 'id', storeFields: [], tokenize: tokenForms, processTerm: processForm };
}

/**
 * MiniSearch holding some articles' paragraphs or headlines, added one document at
 * a time: the reference our segments are checked against. The one place that
 * reaches MiniSearch's insides, as a subclass (its fields are `protected`), so
 * the compiler checks every access against the pinned version.
 */
export class MiniSearchReference extends MiniSearch<IndexDocument> {
  constructor(readonly field: 'text' | 'title') {
    super(miniSearchOptions(field));
  }

  /** Documents holding an index term (0 when none). */
  documentFrequency(term: string): number {
    const data = this._index.get(term);
    return data?.get(0)?.size ?? 0;
  }

  /** Times an index term occurs in a document by id (0 when it does not). */
  termFrequency(term: string, id: string): number {
    const shortId = this._idToShortId.get(id);
    return shortId === undefined ? 0 : (this._index.get(term)?.get(0)?.get(shortId) ?? 0);
  }

  /** Field length (distinct tokens) of a document by id, as BM25 reads it. */
  fieldLength(id: string): number | undefined {
    const shortId = this._idToShortId.get(id);
    return shortId === undefined ? undefined : this._fieldLength.get(shortId)?.[0];
  }

  /** Every word form (never a stem term) with the number of documents holding it. */
  formFrequencies(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [term, data] of this._index) if (!isStemTerm(term)) counts.set(term, data.get(0)?.size ?? 0);
    return counts;
  }

  /** The running average field length MiniSearch keeps. */
  get averageFieldLength(): number {
    return this._avgFieldLength[0] ?? 0;
  }
}

/** MiniSearch references for the paragraphs and the headlines of `articles`. */
export function buildMiniSearchReference(articles: Iterable<Article>): {
  paragraphs: MiniSearchReference;
  titles: MiniSearchReference;
} {
  const paragraphs = new MiniSearchReference('text');
  const titles = new MiniSearchReference('title');
  for (const article of articles) {
    titles.add({ id: article.id, title: article.title });
    article.paragraphs.forEach((text, i) => paragraphs.add({ id: paragraphId(article.id, i), text }));
  }
  return { paragraphs, titles };
}
